import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeGatherBlockQuantized } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import { decodeTensor } from '../../contract/wire.js';
import { float16FromBits } from '../../contract/float_bits.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft GatherBlockQuantized (vectors/onnxruntime-1.30-ops and its Haswell
 * twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): every data type and bits,
 * zero points given and defaulted, ORT's refusals (indices out of range, mismatched scales, rank 1), and outputs where
 * the float expression matters: ORT's f32(f32(q - zp) * s) differs there from the distributed f32(f32(q s) - f32(zp s))
 * (q - zp is exact in float32, so the product's one rounding is the whole float step); with float16 scales, a float16
 * output rounded to nearest even from the exact product (ties to even, subnormals, overflow to infinity).
 */
const { host, haswell } = ortOpsCases('gather_block_quantized@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const args = (c: Case) => decodeGatherBlockQuantized(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));
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
    for (const c of host.filter(ok).filter((c) => args(c).scales.dtype === 'float32')) {
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
    expect(distributedDiffers).toBeGreaterThan(30);
    expect(zeroPoints).toBeGreaterThan(60);
    expect(defaults).toBeGreaterThan(40);
  });

  it('show float16 scales give float16: the exact product rounded once to nearest even (ties to even, subnormals, overflow)', () => {
    const n = { cases: 0, haswell: 0, elements: 0, inexact: 0, awayFromZero: 0, ties: 0, tiesDown: 0, subnormal: 0, infinite: 0 };
    for (const [set, c] of [...host.map((c) => ['host', c] as const), ...haswell.map((c) => ['haswell', c] as const)]) {
      if (!ok(c) || args(c).scales.dtype !== 'float16') continue;
      const a = args(c);
      const g = checkGatherBlockQuantized(a);
      const out = decodeTensor((c.expect as unknown as { outputs: { y: unknown } }).outputs.y, 'y');
      expect(out.dtype).toBe('float16');
      if (set === 'haswell') n.haswell++;
      else n.cases++;
      g.q.forEach((q, o) => {
        // (q - zp) * s: at most 9 x 11 significant bits, exact in float32 and float64, so MLFloat16 arithmetic and
        // float32-then-float16 are the same single rounding; what the vectors show is how that rounding goes
        const exact = (q - g.zeroPoint[o]!) * float16FromBits(a.scales.data[g.scaleIndex[o]!]!);
        const v = float16FromBits(out.data[o]!);
        n.elements++;
        if (!Number.isFinite(v)) {
          expect(Math.abs(exact)).toBeGreaterThanOrEqual(65520); // the first value that rounds past 65504
          n.infinite++;
          return;
        }
        const quantum = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v) || 2 ** -14)), -14) - 10);
        const err = Math.abs(v - exact);
        expect(err, `element ${o} of ${c.id}`).toBeLessThanOrEqual(quantum / 2);
        if (v !== exact) n.inexact++;
        if (Math.abs(v) > Math.abs(exact)) n.awayFromZero++;
        if (err === quantum / 2 && v !== exact) {
          n.ties++;
          expect((Math.abs(v) / quantum) % 2, `a tie of ${c.id} goes to the even neighbour`).toBe(0);
          if (Math.abs(v) < Math.abs(exact)) n.tiesDown++;
        }
        if (v !== 0 && Math.abs(v) < 2 ** -14) n.subnormal++;
      });
    }
    // rounding, not truncation (away from zero), ties to even (some resolved downwards: not half-up), subnormal and
    // infinite results, on both CPUs
    expect(n.cases).toBeGreaterThan(80);
    expect(n.haswell).toBeGreaterThan(15);
    for (const k of ['inexact', 'awayFromZero', 'ties', 'tiesDown', 'subnormal', 'infinite'] as const) expect(n[k], k).toBeGreaterThan(3);
  });
});
