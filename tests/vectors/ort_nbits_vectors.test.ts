import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeMatMulNBits } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import { f32ToHex } from '../../contract/wire.js';
import { f32Add, f32Fma, f32Mul, f32Sub } from '../../impl/float32.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft MatMulNBits with float32 A (vectors/onnxruntime-1.30-ops and its
 * Haswell twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): bits 2, 4 and 8,
 * zero points and biases, K summed in slices by MLAS's SGEMM, long single chains, overflow, typed refusals. And the
 * model is not the only one that fits by chance: ORT's outputs refute, on many cases each, products rounded before
 * the add (no FMA), the bias as the chain's start, one chain over all of K for bits 2/8, and B dequantized as
 * f32(q s) - f32(z s).
 */
const host = readVectorSet(ORT_OPS_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === 'matmul_nbits@1');
const haswell = readVectorSet(ORT_OPS_HASWELL_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === 'matmul_nbits@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const yHex = (c: Case) => (c.expect as unknown as { outputs: { y: { hex: string[] } } }).outputs.y.hex;
const geometry = (c: Case) => {
  const args = decodeMatMulNBits(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op), c.attrs);
  return { args, g: checkMatMulNBits('matmul_nbits', args) };
};

interface Variant {
  readonly fused: boolean;
  readonly biasFirst: boolean;
  readonly oneChain: boolean;
  readonly offsetDequant: boolean;
}
const MODEL: Variant = { fused: true, biasFirst: false, oneChain: false, offsetDequant: false };

/** y under a variant of the model (MODEL is the model of reference/onnx/matmul_nbits.ts), as hex. */
function outputs(c: Case, v: Variant): string[] {
  const { args, g } = geometry(c);
  const { rows, k, n, kBlocks, blockSize } = g;
  const stride = v.oneChain ? k : g.kStride;
  const b = new Float32Array(n * k);
  for (let j = 0; j < n; j++) {
    for (let x = 0; x < k; x++) {
      const blk = j * kBlocks + Math.floor(x / blockSize);
      const [q, z, s] = [g.codes[j * k + x]!, g.zeroPoints[blk]!, args.scales.data[blk]!];
      b[j * k + x] = v.offsetDequant ? f32Sub(f32Mul(q, s), f32Mul(z, s)) : f32Mul(q - z, s);
    }
  }
  const bias = args.bias?.data ?? null;
  const y: string[] = [];
  for (let m = 0; m < rows; m++) {
    for (let j = 0; j < n; j++) {
      let c0: number | null = bias ? bias[j]! : null;
      for (let k0 = 0; k0 < k; k0 += stride) {
        let s = v.biasFirst && k0 === 0 && c0 !== null ? c0 : 0;
        for (let x = k0; x < Math.min(k, k0 + stride); x++) {
          const [p, q] = [args.a.data[m * k + x]!, b[j * k + x]!];
          s = v.fused ? f32Fma(p, q, s) : f32Add(f32Mul(p, q), s);
        }
        c0 = c0 === null || (v.biasFirst && k0 === 0) ? s : f32Add(s, c0);
      }
      y.push(f32ToHex(c0!));
    }
  }
  return y;
}

describe('ORT 1.30 vectors of MatMulNBits', () => {
  it('hold 300 host cases, mostly outputs of bits 2, 4 and 8, typed refusals, and the Haswell set', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.9);
    expect(host.filter((c) => !ok(c)).length).toBeGreaterThan(3);
    expect(new Set(host.filter(ok).map((c) => c.attrs.bits))).toEqual(new Set([2, 4, 8]));
    expect(haswell.filter(ok).length).toBeGreaterThan(60);
  });

  it('are the same bits on Haswell (AVX2, SgemmKernelFma3) as on the AVX-512 host for the same requests', () => {
    const byId = new Map(host.map((c) => [c.id, c]));
    let compared = 0;
    for (const c of haswell) {
      const twin = byId.get(c.id);
      expect(twin, c.id).toBeDefined();
      expect(c.expect, c.id).toEqual(twin!.expect);
      if (ok(c)) compared++;
    }
    expect(compared).toBeGreaterThan(60);
  });

  it('cover zero points, biases, 2-D scales, batched a, K slices, long chains, infinities and zeros', () => {
    const n = { zp: 0, bias: 0, scales2d: 0, batched: 0, slices: 0, long: 0, inf: 0, zero: 0 };
    for (const c of host.filter(ok)) {
      const { args, g } = geometry(c);
      if (args.zeroPoints) n.zp++;
      if (args.bias) n.bias++;
      if (args.scales.shape.length === 2) n.scales2d++;
      if (args.a.shape.length > 2) n.batched++;
      if (g.kStride < g.k) n.slices++;
      if (g.route === 'sqnbit_comp_fp32' && g.k > 300) n.long++;
      if (yHex(c).some((h) => h === '7f800000' || h === 'ff800000')) n.inf++;
      if (yHex(c).includes('00000000')) n.zero++;
    }
    expect(n.zp).toBeGreaterThan(100);
    expect(n.bias).toBeGreaterThan(100);
    expect(n.scales2d).toBeGreaterThan(50);
    expect(n.batched).toBeGreaterThan(50);
    expect(n.slices, 'bits 2/8 with K in several SGEMM slices').toBeGreaterThan(15);
    expect(n.long, 'bits 4 with K > 300').toBeGreaterThan(15);
    expect(n.inf).toBeGreaterThan(15);
    expect(n.zero).toBeGreaterThan(15);
  });

  it('refute the alternatives: unfused products, the bias first, one chain for bits 2/8, offset dequantization', () => {
    const cases = host.filter(ok);
    for (const c of cases) expect(outputs(c, MODEL), c.id).toEqual(yHex(c));
    const refuted = (v: Partial<Variant>) => cases.filter((c) => JSON.stringify(outputs(c, { ...MODEL, ...v })) !== JSON.stringify(yHex(c))).length;
    expect(refuted({ fused: false }), 'products rounded before the add').toBeGreaterThan(150);
    expect(refuted({ biasFirst: true }), 'the bias as the start of the chain').toBeGreaterThan(50);
    expect(refuted({ oneChain: true }), 'one chain over all K for bits 2/8').toBeGreaterThan(10);
    expect(refuted({ offsetDequant: true }), 'b = f32(q s) - f32(z s)').toBeGreaterThan(50);
  });
});
