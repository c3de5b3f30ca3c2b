/**
 * The onnxruntime --fuzz catalogue draws QLinearConv (quantized_conv2d@1, onnxruntime@1) on edge geometries
 * (conformance/cases/conv_edge_geometry.ts: an output-size numerator in (-stride, 0), which ORT 1.30's double division
 * sizes 0 and refuses, and empty batches, which it computes), measured in tests/backends/ort_conv_output_size.test.ts
 * but never drawn by the committed vectors/onnxruntime-1.30 generator. Not vacuous: a share of the draws are on edge
 * geometries and the rest are not, the set's generator draws none, and a seeded fuzz run through live
 * onnxruntime-node agrees with the reference on them, computing empty batches.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';
import { ORT_CATALOG } from '../../conformance/cases/ort_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { ortFuzzRun } from '../support/ort_fuzz_run.js';

const OP = 'quantized_conv2d@1';
const DRAWS = 300;

type Drawn = { inputs?: Record<string, unknown>; attrs?: Record<string, unknown> };
const emptyBatch = (q: Drawn) => (q.inputs?.x as { shape: number[] }).shape[0] === 0;
/** An axis whose numerator in + 2p - d(k-1) - 1 lies in (-stride, 0). */
function shortAxis(q: Drawn): boolean {
  const [, , h, w] = (q.inputs?.x as { shape: number[] }).shape;
  const [, , kh, kw] = (q.inputs?.weight as { shape: number[] }).shape;
  const [s, p, d] = (['stride', 'padding', 'dilation'] as const).map((k) => q.attrs?.[k] as number[]);
  return [[h!, kh!], [w!, kw!]].some(([x, k], i) => {
    const num = x! + 2 * p![i]! - d![i]! * (k! - 1) - 1;
    return num < 0 && num > -s![i]!;
  });
}

function drawn(catalog: ReadonlyArray<{ op: string; factory: CaseFactory }>): Drawn[] {
  const { factory } = catalog.find((e) => e.op === OP)!;
  return Array.from({ length: DRAWS }, (_, i) => factory(new CaseRandom(`ort-fuzz-conv-edges/${i}`), i));
}

describe('--fuzz draws ORT QLinearConv on edge geometries', () => {
  it("a share of the onnxruntime catalogue's draws (not all), none of the vector set generator's", () => {
    const fuzz = drawn(ORT_FUZZ_CATALOG);
    const [empty, short] = [fuzz.filter(emptyBatch).length, fuzz.filter(shortAxis).length];
    const seen = `${empty} empty batches, ${short} short axes of ${DRAWS} draws (seeds ort-fuzz-conv-edges/0..${DRAWS - 1})`;
    expect(empty, seen).toBeGreaterThan(DRAWS * 0.05);
    expect(short, seen).toBeGreaterThan(DRAWS * 0.03);
    expect(empty + short, seen).toBeLessThan(DRAWS * 0.35);
    const set = drawn(ORT_CATALOG);
    expect(set.filter((q) => emptyBatch(q) || shortAxis(q)).length, "the committed set's generator draws none").toBe(0);
  });

  it('a seeded fuzz run through live onnxruntime-node agrees with the reference, computing empty batches', { timeout: 600_000 }, async () => {
    const answered = await ortFuzzRun([OP], 11, 200, emptyBatch);
    expect(answered.get(OP) ?? 0, 'ORT answered empty batches (seed 11)').toBeGreaterThanOrEqual(5);
  });
});
