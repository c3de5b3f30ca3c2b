import { describe, expect, it } from 'vitest';
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft QAttention (vectors/onnxruntime-1.30-ops and its Haswell twin;
 * tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): the host cases carry the
 * AVX-512 softmax kernel, the Haswell cases the FMA3 one and, for int8 weights, the saturating u8 x s8 pairs; both
 * weight dtypes, sequences beyond 16, several heads, batches of 2, per-column scales, ORT's refusals. Not vacuous:
 * on some recorded cases the other kernel, or the other accumulator, would give other bytes than ORT's.
 */
const host = readVectorSet(ORT_OPS_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === 'qattention@1');
const haswell = readVectorSet(ORT_OPS_HASWELL_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === 'qattention@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const shape = (c: Case, name: string) => (c.inputs[name] as { shape: number[] }).shape;
const dtype = (c: Case, name: string) => (c.inputs[name] as { dtype: string }).dtype;
const bytes = (c: Case, attrs: Record<string, unknown>) => {
  const r = evaluateRequest(impl, { id: c.id, op: c.op, attrs: { ...c.attrs, ...attrs }, inputs: c.inputs });
  return JSON.stringify('error' in r ? r.error.code : r.outputs);
};
const recorded = (c: Case) => JSON.stringify((c.expect as { outputs: unknown }).outputs);

describe('ORT 1.30 vectors of QAttention', () => {
  it('hold 200 host cases (avx512f, int32_wrap) and the Haswell set (fma3; sat16 pairs for int8 weights)', () => {
    expect(host.length).toBeGreaterThanOrEqual(200);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.9);
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
    expect(good.filter((c) => shape(c, 'input')[0] === 2).length).toBeGreaterThan(20);
    expect(good.filter((c) => shape(c, 'weight_scale')[0]! > 1).length).toBeGreaterThan(50);
  });

  it("refute the other CPU's kernel and accumulator on some of ORT's recorded outputs", () => {
    const kernel = (set: Case[], other: string) => set.filter(ok).filter((c) => bytes(c, { softmax_kernel: other }) !== recorded(c)).length;
    expect(kernel(host, 'fma3'), 'host cases the fma3 kernel gets wrong').toBeGreaterThan(5);
    expect(kernel(haswell, 'avx512f'), 'Haswell cases the avx512f kernel gets wrong').toBeGreaterThan(2);
    const sat16 = haswell.filter(ok).filter((c) => c.attrs.accumulator === 'sat16_pairs_im2col' && bytes(c, { accumulator: 'int32_wrap' }) !== recorded(c)).length;
    expect(sat16, 'Haswell cases the exact accumulator gets wrong').toBeGreaterThan(5);
  });
});
