/**
 * The onnxruntime --fuzz catalogue draws weight zero points that differ per output channel for QLinearConv, NCHW
 * (quantized_conv2d@1, scheme onnxruntime@1) and NHWC (qlinear_conv_nhwc@1), which ORT 1.30 computes
 * (tests/backends/ort_varying_weight_zero_points.test.ts) but the committed vector sets' generators never draw
 * (conformance/cases/ort_fuzz_conv_cases.ts); the impl and reference catalogue draws them for qlinear_conv_nhwc@1 too.
 * Not vacuous: a share of the draws differ and the rest do not, and a seeded fuzz run through live onnxruntime-node
 * answers such requests with outputs that agree with the reference.
 */
import { describe, expect, it } from 'vitest';
import { weightZeroPointsDiffer } from '../../conformance/backends/onnxruntime/ort_cpu_paths.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { EVERY_OP_FUZZ_CATALOG, ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';
import { ORT_CATALOG } from '../../conformance/cases/ort_catalog.js';
import { ORT_OPS_CATALOG } from '../../conformance/cases/ort_ops_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { ortFuzzRun } from '../support/ort_fuzz_run.js';

const CONV_OPS = ['quantized_conv2d@1', 'qlinear_conv_nhwc@1'] as const;
const DRAWS = 200;

const differ = (op: string, q: ReturnType<CaseFactory>) => weightZeroPointsDiffer({ id: 'x', ...q }, op === 'qlinear_conv_nhwc@1');

/** How many of DRAWS seeded draws of `op`'s factory in `catalog` have differing weight zero points. */
function differing(catalog: ReadonlyArray<{ op: string; factory: CaseFactory }>, op: string): number {
  const { factory } = catalog.find((e) => e.op === op)!;
  return Array.from({ length: DRAWS }, (_, i) => factory(new CaseRandom(`ort-fuzz-wzp/${op}/${i}`), i)).filter((q) => differ(op, q)).length;
}

describe('--fuzz draws weight zero points that differ per output channel for ORT QLinearConv', () => {
  it.each(CONV_OPS)('%s: a share of the onnxruntime catalogue\'s draws (not all), none of the vector set generator\'s', (op) => {
    const n = differing(ORT_FUZZ_CATALOG, op);
    expect(n, `${n} of ${DRAWS} draws (seeds ort-fuzz-wzp/${op}/0..${DRAWS - 1})`).toBeGreaterThan(DRAWS * 0.1);
    expect(n).toBeLessThan(DRAWS * 0.5);
    expect(differing([...ORT_CATALOG, ...ORT_OPS_CATALOG], op), 'the committed sets\' generators keep one zero point').toBe(0);
  });

  it('the impl and reference catalogue draws them for qlinear_conv_nhwc@1', () => {
    expect(differing(EVERY_OP_FUZZ_CATALOG, 'qlinear_conv_nhwc@1')).toBeGreaterThan(DRAWS * 0.1);
  });

  it('a seeded fuzz run through live onnxruntime-node agrees with the reference, on requests with differing zero points among others', { timeout: 300_000 }, async () => {
    const answered = await ortFuzzRun(CONV_OPS, 11, 60, (request) => differ(request.op, request));
    for (const op of CONV_OPS) expect(answered.get(op) ?? 0, `${op}: ORT answered requests with differing weight zero points (seed 11)`).toBeGreaterThanOrEqual(5);
  });
});
