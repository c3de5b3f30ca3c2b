import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeGatherBlockQuantized } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import { decodeTensor } from '../../contract/wire.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft GatherBlockQuantized (vectors/onnxruntime-1.30-ops and its Haswell
 * twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): every data type and bits,
 * zero points given and defaulted, ORT's refusals (indices out of range, mismatched scales, rank 1), and outputs where
 * the float expression matters: ORT's f32(f32(q - zp) * s) differs there from the distributed f32(f32(q s) - f32(zp s))
 * (q - zp is exact in float32, so the product's one rounding is the whole float step).
 */
const host = readVectorSet(ORT_OPS_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === 'gather_block_quantized@1');
const haswell = readVectorSet(ORT_OPS_HASWELL_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === 'gather_block_quantized@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const args = (c: Case) => decodeGatherBlockQuantized(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op), c.attrs);
const y = (c: Case) => [...decodeTensor((c.expect as unknown as { outputs: { y: unknown } }).outputs.y, 'y').data];

describe('ORT 1.30 vectors of com.microsoft GatherBlockQuantized', () => {
  it('hold 300 host cases of every data type, ORT refusals, and the Haswell set', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.85);
    const kinds = new Set(host.filter(ok).map((c) => `${args(c).data.dtype}/${args(c).bits}`));
    expect(kinds).toEqual(new Set(['uint8/8', 'uint8/4', 'uint8/2', 'int4/4', 'uint4/4']));
    const refused = new Set(host.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code));
    for (const code of ['invalid_integer', 'shape_mismatch']) expect(refused.has(code), code).toBe(true);
    expect(haswell.filter(ok).length).toBeGreaterThan(60);
  });

  it('show ORT computes f32(f32(q - zp) * s), not the distributed f32(f32(q s) - f32(zp s))', () => {
    let [distributedDiffers, zeroPoints, defaults] = [0, 0, 0];
    for (const c of host.filter(ok)) {
      const a = args(c);
      const g = checkGatherBlockQuantized(a);
      const got = y(c);
      if (a.zeroPoints) zeroPoints++;
      else defaults++;
      const distributed = Array.from(g.q, (q, o) => {
        const s = a.scales.data[g.scaleIndex[o]!]!;
        return Math.fround(Math.fround(q * s) - Math.fround(g.zeroPoint[o]! * s));
      });
      if (distributed.some((v, o) => !Object.is(v, got[o]))) distributedDiffers++;
    }
    expect(distributedDiffers).toBeGreaterThan(50);
    expect(zeroPoints).toBeGreaterThan(100);
    expect(defaults).toBeGreaterThan(60);
  });
});
