import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft QAttention (vectors/onnxruntime-1.30-ops and its Haswell twin;
 * tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): the host cases carry the
 * AVX-512 softmax kernel, the Haswell cases the FMA3 one and, for int8 weights, the saturating u8 x s8 pairs; both
 * weight dtypes, sequences beyond 16, several heads, batches of 2, per-column scales, every mask_index form the CPU
 * kernel computes (contract/qattention_mask.ts), causal masking, past state with its present output (one-token steps: MLAS's M = 1 route), SGEMMs in two K
 * blocks (long pasts, heads above 128), heads of size 1 (MLAS's N = 1 route), ORT's refusals
 * (negative key lengths, other mask shapes, 4-D masks). Not vacuous: on some recorded cases the other kernel, the
 * other accumulator, or dropping the mask would give other bytes than ORT's.
 */
const { host, haswell } = ortOpsCases('qattention@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const shape = (c: Case, name: string) => (c.inputs[name] as { shape: number[] }).shape;
const dtype = (c: Case, name: string) => (c.inputs[name] as { dtype: string }).dtype;
const bytes = (c: Case, attrs: Record<string, unknown>) => {
  const r = evaluateRequest(impl, { id: c.id, op: c.op, attrs: { ...c.attrs, ...attrs }, inputs: c.inputs });
  return JSON.stringify('error' in r ? r.error.code : r.outputs);
};
const recorded = (c: Case) => JSON.stringify((c.expect as { outputs: unknown }).outputs);
/** The mask_index form of a case (contract/qattention_mask.ts), or null. */
function maskForm(c: Case): string | null {
  if (!c.inputs.mask_index) return null;
  const d = shape(c, 'mask_index');
  const [b, s] = shape(c, 'input') as [number, number];
  const total = s + ((c.inputs.past as { shape: number[] } | undefined)?.shape[3] ?? 0);
  if (d.length !== 2) return d.length === 3 ? 'raw_3d' : d.length === 4 ? '4d' : d[0] === b ? 'key_lengths' : d[0] === 2 * b ? 'end_start' : 'key_lengths_3b2';
  return d[0] === b && d[1] === total ? 'raw_2d' : 'dummy';
}

describe('ORT 1.30 vectors of QAttention', () => {
  it('hold 300 host cases (avx512f, int32_wrap) and the Haswell set (fma3; sat16 pairs for int8 weights)', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.8);
    expect(host.filter((c) => 'error' in c.expect && c.expect.error.code === 'shape_mismatch').length, "ORT's refusals").toBeGreaterThanOrEqual(2);
    expect(new Set(host.map((c) => c.attrs.softmax_kernel))).toEqual(new Set(['avx512f']));
    expect(new Set(host.map((c) => c.attrs.accumulator))).toEqual(new Set(['int32_wrap']));
    expect(haswell.filter(ok).length).toBeGreaterThan(40);
    expect(new Set(haswell.map((c) => c.attrs.softmax_kernel))).toEqual(new Set(['fma3']));
    for (const c of haswell) expect(c.attrs.accumulator, c.id).toBe(dtype(c, 'weight') === 'qint8' ? 'sat16_pairs_im2col' : 'int32_wrap');
  });

  it('cover both weight dtypes, sequences beyond 16, several heads, batches of 2 and per-column scales', () => {
    const good = host.filter(ok);
    expect(new Set(good.map((c) => dtype(c, 'weight')))).toEqual(new Set(['quint8', 'qint8']));
    expect(good.filter((c) => shape(c, 'input')[1]! > 16).length).toBeGreaterThan(40);
    expect(good.filter((c) => shape(c, 'input')[1]! === 1).length).toBeGreaterThan(3);
    expect(good.filter((c) => (c.attrs.num_heads as number) > 1).length).toBeGreaterThan(80);
    expect(good.filter((c) => shape(c, 'input')[0] === 2).length).toBeGreaterThan(15);
    expect(good.filter((c) => shape(c, 'weight_scale')[0]! > 1).length).toBeGreaterThan(50);
  });

  it('cover every mask form, causal masking and past state (with present), and ORT\'s mask refusals', () => {
    for (const [set, least] of [[host, 5], [haswell, 1]] as const) {
      const good = set.filter(ok);
      for (const form of ['key_lengths', 'end_start', 'key_lengths_3b2', 'raw_2d', 'dummy', 'raw_3d']) expect(good.filter((c) => maskForm(c) === form).length, form).toBeGreaterThanOrEqual(least);
      expect(good.filter((c) => c.attrs.unidirectional === 1 && shape(c, 'input')[1]! > 1).length, 'causal').toBeGreaterThan(least * 4);
      const past = good.filter((c) => c.inputs.past);
      expect(past.length, 'past').toBeGreaterThan(least * 3);
      for (const c of past) expect((c.expect as { outputs: Record<string, unknown> }).outputs.present, c.id).toBeDefined();
      expect(good.filter((c) => shape(c, 'input')[1] === 1 && (c.inputs.past as { shape: number[] } | undefined)?.shape[3]! > 1).length, 'one-token steps over a past (MLAS M = 1)').toBeGreaterThanOrEqual(least);
      const total = (c: Case) => shape(c, 'input')[1]! + ((c.inputs.past as { shape: number[] } | undefined)?.shape[3] ?? 0);
      const head = (c: Case) => shape(c, 'weight')[1]! / 3 / (c.attrs.num_heads as number);
      // the rarer routes: at least 3 on the host, 1 on Haswell
      const rare = Math.min(least, 3);
      expect(good.filter((c) => total(c) > 128 && head(c) > 64 && shape(c, 'input')[1]! > 1).length, 'probs x V in two K blocks').toBeGreaterThanOrEqual(rare);
      expect(good.filter((c) => head(c) > 128 && total(c) > 64).length, 'Q K^T in two K blocks').toBeGreaterThanOrEqual(rare);
      expect(good.filter((c) => head(c) === 1 && shape(c, 'input')[1]! > 1).length, 'heads of size 1 (MLAS N = 1)').toBeGreaterThanOrEqual(rare);
    }
    const refused = (code: string) => host.filter((c) => 'error' in c.expect && c.expect.error.code === code);
    expect(refused('invalid_integer').length, 'negative key lengths').toBeGreaterThanOrEqual(2);
    expect(refused('unsupported_by_scheme').filter((c) => maskForm(c) === '4d').length, '4-D masks').toBeGreaterThanOrEqual(1);
    const unmasked = (c: Case) => {
      const { mask_index: _, ...inputs } = c.inputs;
      const r = evaluateRequest(impl, { id: c.id, op: c.op, attrs: c.attrs, inputs });
      return JSON.stringify('error' in r ? r.error.code : r.outputs);
    };
    expect(host.filter(ok).filter((c) => maskForm(c) && maskForm(c) !== 'dummy' && unmasked(c) !== recorded(c)).length, 'cases whose mask changes the bytes').toBeGreaterThan(20);
  });

  it("refute the other CPU's kernel and accumulator on some of ORT's recorded outputs", () => {
    const kernel = (set: Case[], other: string) => set.filter(ok).filter((c) => bytes(c, { softmax_kernel: other }) !== recorded(c)).length;
    expect(kernel(host, 'fma3'), 'host cases the fma3 kernel gets wrong').toBeGreaterThan(5);
    expect(kernel(haswell, 'avx512f'), 'Haswell cases the avx512f kernel gets wrong').toBeGreaterThan(2);
    const sat16 = haswell.filter(ok).filter((c) => c.attrs.accumulator === 'sat16_pairs_im2col' && bytes(c, { accumulator: 'int32_wrap' }) !== recorded(c)).length;
    expect(sat16, 'Haswell cases the exact accumulator gets wrong').toBeGreaterThan(5);
  });
});
