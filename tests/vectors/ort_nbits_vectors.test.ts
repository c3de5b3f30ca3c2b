import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeMatMulNBits } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import { f32ToHex } from '../../contract/wire.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { f32Add, f32Fma, f32Mul, f32Sub } from '../../impl/float32.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft MatMulNBits with float32 A (vectors/onnxruntime-1.30-ops and its
 * Haswell twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): bits 2, 4 and 8,
 * zero points and biases, K summed in slices by MLAS's SGEMM, long single chains, overflow, typed refusals. And the
 * model is not the only one that fits by chance: ORT's outputs refute, on many cases each, products rounded before
 * the add (no FMA), the bias as the chain's start, one chain over all of K for bits 2/8, and B dequantized as
 * f32(q s) - f32(z s). For a single row of a (MLAS's M1 kernels, contract/matmul_nbits_m1_plan.ts) they refute the
 * many-row chain, and, for bits 4, the other CPU's kernel set (the host records `avx512`, Haswell `avx2`).
 */
const { host, haswell } = ortOpsCases('matmul_nbits@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const yHex = (c: Case) => (c.expect as unknown as { outputs: { y: { hex: string[] } } }).outputs.y.hex;
const geometry = (c: Case) => {
  const args = decodeMatMulNBits(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));
  return { args, g: checkMatMulNBits('matmul_nbits', args) };
};
const singleRow = (c: Case) => ok(c) && geometry(c).g.m1 !== null;
/** impl's y (hex) for the case as a request with some attributes replaced */
const implHex = (c: Case, attrs: Record<string, unknown>, inputs: Record<string, unknown> = {}) => {
  const r = evaluateRequest(impl, { id: c.id, op: c.op, attrs: { ...c.attrs, ...attrs }, inputs: { ...c.inputs, ...inputs } } as WireRequest);
  return 'outputs' in r ? (r.outputs.y as { hex: string[] }).hex : null;
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
    expect(new Set(host.map((c) => c.attrs.qnbit_kernel))).toEqual(new Set(['avx512']));
    expect(new Set(haswell.map((c) => c.attrs.qnbit_kernel))).toEqual(new Set(['avx2']));
  });

  it('are the same bits on Haswell (AVX2, SgemmKernelFma3) as on the AVX-512 host for the same requests, but for single rows of bits 4', () => {
    const byId = new Map(host.map((c) => [c.id, c]));
    let compared = 0;
    let m1Differ = 0;
    for (const c of haswell) {
      const twin = byId.get(c.id);
      expect(twin, c.id).toBeDefined();
      if (ok(c) && geometry(c).g.route === 'sqnbit_m1_comp_fp32') {
        if (JSON.stringify(c.expect) !== JSON.stringify(twin!.expect)) m1Differ++;
        continue;
      }
      expect(c.expect, c.id).toEqual(twin!.expect);
      if (ok(c)) compared++;
    }
    expect(compared).toBeGreaterThan(60);
    expect(m1Differ, 'single rows of bits 4 that differ between the CPUs (16 lanes against 8)').toBeGreaterThan(3);
  });

  it('hold single rows: bits 4 on both kernel sets, bits 2/8, column groups of 4 and the rest, 1-D a, long K', () => {
    const n = { bits4: 0, sgemm: 0, rest1: 0, rest2: 0, rest3: 0, oneD: 0, long: 0, bias: 0, hswBits4: 0, hswSgemm: 0 };
    for (const c of host.filter(singleRow)) {
      const { args, g } = geometry(c);
      if (g.route === 'sqnbit_m1_comp_fp32') n.bits4++;
      else n.sgemm++;
      if (g.n > 4 && g.n % 4 !== 0) n[`rest${g.n % 4}` as 'rest1' | 'rest2' | 'rest3']++;
      if (args.a.shape.length === 1) n.oneD++;
      if (g.k > 300) n.long++;
      if (args.bias) n.bias++;
    }
    for (const c of haswell.filter(singleRow)) n[geometry(c).g.route === 'sqnbit_m1_comp_fp32' ? 'hswBits4' : 'hswSgemm']++;
    for (const [key, min] of [['bits4', 50], ['sgemm', 20], ['rest1', 5], ['rest2', 5], ['rest3', 5], ['oneD', 15], ['long', 5], ['bias', 30], ['hswBits4', 12], ['hswSgemm', 5]] as const) expect(n[key], key).toBeGreaterThanOrEqual(min);
  });

  it('refute, for single rows, the many-row chain and the other CPU\'s kernel set', () => {
    const chain = (set: Case[]) => set.filter(singleRow).filter((c) => {
      // the same row twice: the many-row route's outputs for it
      const a = c.inputs.a as { shape: number[]; hex: string[] };
      const k = a.shape[a.shape.length - 1]!;
      const two = implHex(c, {}, { a: { ...a, shape: [2, k], hex: [...a.hex, ...a.hex] } });
      return JSON.stringify(two?.slice(0, two.length / 2)) !== JSON.stringify(yHex(c));
    }).length;
    const otherKernel = (set: Case[], other: string) => set.filter(singleRow).filter((c) => geometry(c).g.route === 'sqnbit_m1_comp_fp32' && JSON.stringify(implHex(c, { qnbit_kernel: other })) !== JSON.stringify(yHex(c))).length;
    expect(chain(host), 'host: the many-row chain').toBeGreaterThan(40);
    expect(chain(haswell), 'haswell: the many-row chain').toBeGreaterThan(8);
    expect(otherKernel(host, 'avx2'), 'host: the avx2 kernel set').toBeGreaterThan(20);
    expect(otherKernel(haswell, 'avx512'), 'haswell: the avx512 kernel set').toBeGreaterThan(5);
  });

  it('cover zero points, biases, 2-D scales, batched a, K slices, long chains, infinities and zeros', () => {
    const n = { zp: 0, bias: 0, scales2d: 0, batched: 0, slices: 0, long: 0, inf: 0, zero: 0 };
    for (const c of host.filter(ok).filter((c) => !singleRow(c))) {
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
    const cases = host.filter(ok).filter((c) => !singleRow(c));
    for (const c of cases) expect(outputs(c, MODEL), c.id).toEqual(yHex(c));
    const refuted = (v: Partial<Variant>) => cases.filter((c) => JSON.stringify(outputs(c, { ...MODEL, ...v })) !== JSON.stringify(yHex(c))).length;
    expect(refuted({ fused: false }), 'products rounded before the add').toBeGreaterThan(150);
    expect(refuted({ biasFirst: true }), 'the bias as the start of the chain').toBeGreaterThan(50);
    expect(refuted({ oneChain: true }), 'one chain over all K for bits 2/8').toBeGreaterThan(10);
    expect(refuted({ offsetDequant: true }), 'b = f32(q s) - f32(z s)').toBeGreaterThan(50);
  });
});
