/**
 * The --fuzz catalogues draw QGemm's and QLinearLeakyRelu's alpha from any float32 (NaN bits, +-inf and float64s that
 * round to +-inf included) and DynamicQuantizeLSTM's activation_alpha / activation_beta non-finite, which ORT 1.30
 * computes with (tests/backends/ort_qgemm_alpha.test.ts, ort_leaky_relu_alpha.test.ts, ort_qlstm_activation_params.test.ts)
 * but the committed vectors/onnxruntime-1.30-ops generators never draw (conformance/cases/ort_attribute_fuzz_cases.ts).
 * Not vacuous: a share of the draws carry them and the rest do not, the set's generators draw none, and a seeded fuzz
 * run through live onnxruntime-node answers such requests with outputs that agree with the reference.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { EVERY_OP_FUZZ_CATALOG, ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';
import { ORT_OPS_CATALOG } from '../../conformance/cases/ort_ops_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { hexToF64 } from '../../contract/wire.js';
import { ortFuzzRun } from '../support/ort_fuzz_run.js';

const OPS = ['qgemm@1', 'qlinear_leaky_relu@1', 'dynamic_quantize_lstm@1'] as const;
const DRAWS = 300;

const nonFinite = (hex: unknown) => typeof hex === 'string' && !Number.isFinite(Math.fround(hexToF64(hex)));

/** Whether a request carries what --fuzz adds: an alpha NaN or +-inf in float32, or a non-finite LSTM activation parameter. */
function carries(q: { op?: string; attrs?: Record<string, unknown> }): boolean {
  if (q.op === 'dynamic_quantize_lstm@1') return ['activation_alpha', 'activation_beta'].some((k) => (q.attrs?.[k] as unknown[] | undefined)?.some(nonFinite));
  return nonFinite(q.attrs?.alpha);
}

function carrying(catalog: ReadonlyArray<{ op: string; factory: CaseFactory }>, op: string): number {
  const { factory } = catalog.find((e) => e.op === op)!;
  return Array.from({ length: DRAWS }, (_, i) => factory(new CaseRandom(`ort-fuzz-attrs/${op}/${i}`), i)).filter(carries).length;
}

describe('--fuzz draws non-finite float attributes for ORT QGemm, QLinearLeakyRelu and DynamicQuantizeLSTM', () => {
  it.each(OPS)("%s: a share of the onnxruntime catalogue's draws (not all), none of the vector set generator's", (op) => {
    const n = carrying(ORT_FUZZ_CATALOG, op);
    expect(n, `${n} of ${DRAWS} draws (seeds ort-fuzz-attrs/${op}/0..${DRAWS - 1})`).toBeGreaterThan(DRAWS * 0.05);
    expect(n).toBeLessThan(DRAWS * 0.3);
    expect(carrying(ORT_OPS_CATALOG, op), "the committed set's generator draws none").toBe(0);
    expect(carrying(EVERY_OP_FUZZ_CATALOG, op), 'the impl and reference catalogue draws them too').toBe(n);
  });

  it('a seeded fuzz run through live onnxruntime-node agrees with the reference, on such requests among others', { timeout: 600_000 }, async () => {
    const answered = await ortFuzzRun(OPS, 11, 250, (request) => carries(request));
    for (const op of OPS) expect(answered.get(op) ?? 0, `${op}: ORT answered requests with non-finite attributes (seed 11)`).toBeGreaterThanOrEqual(5);
  });
});
