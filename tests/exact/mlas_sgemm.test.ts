/**
 * MLAS's float32 GEMM outputs (reference/onnx/mlas_sgemm.ts, impl/onnx/mlas_sgemm.ts) and its K blocks
 * (contract/mlas_sgemm_blocks.ts, sgemm.cpp MlasSgemmOperation): the block length follows sgemm.cpp's stride rule,
 * and the exact reference and the impl agree bit for bit on the blocked fma chains (with and without alpha) and on
 * the M = 1 route (MlasSgemmKernelM1Avx) for K of 1 to 600, and on the N = 1 route (MlasSgemmKernelM1TransposeBAvx)
 * for 1 to 11 rows (every row group). Not vacuous: blocking changes the bytes of some outputs, and so do the M = 1
 * and N = 1 routes against the fma chain.
 */
import { describe, expect, it } from 'vitest';
import { float32BitsOf } from '../../contract/float_bits.js';
import { mlasSgemmStrideK } from '../../contract/mlas_sgemm_blocks.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { mlasSgemmChain, mlasSgemmM1, mlasSgemmM1TransposeBRows } from '../../impl/onnx/mlas_sgemm.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import { mlasSgemmM1Output, mlasSgemmM1TransposeBRows as exactRows, mlasSgemmOutput } from '../../reference/onnx/mlas_sgemm.js';


describe('MLAS SGEMM outputs and K blocks', () => {
  it("follows sgemm.cpp's StrideN / StrideK rule", () => {
    expect(mlasSgemmStrideK(300, 40)).toBe(64); // N >= K: one block of at least K
    expect(mlasSgemmStrideK(200, 200)).toBe(128); // N >= K > 128: blocks of 128
    expect(mlasSgemmStrideK(8, 300)).toBe(1024); // StrideN 128 -> 16
    expect(mlasSgemmStrideK(20, 300)).toBe(512);
    expect(mlasSgemmStrideK(40, 300)).toBe(256);
    expect(mlasSgemmStrideK(64, 300)).toBe(256);
    expect(mlasSgemmStrideK(65, 300)).toBe(128);
    expect(mlasSgemmStrideK(70, 136)).toBe(128);
    for (let k = 1; k <= 128; k++) for (const n of [1, 16, 64, 128, 200]) expect(mlasSgemmStrideK(n, k) >= k || n < k, `${n} x ${k}`).toBe(true);
  });

  it('reference and impl agree on blocked fma chains and on the M = 1 route, not vacuously', () => {
    const r = new CaseRandom('mlas-sgemm');
    let blocked = 0;
    let m1 = 0;
    for (let run = 0; run < 120; run++) {
      const k = r.pick([1, 2, 3, 5, 64, 127, 128, 129, 200, 257, 600]);
      const n = r.pick([2, 8, 20, 40, 65, 128, 700]);
      const a = Float32Array.from({ length: k }, () => Math.fround((r.next() - 0.5) * r.pick([1, 100])));
      const b = Float32Array.from({ length: k }, () => Math.fround((r.next() - 0.5) * r.pick([1, 100])));
      const alpha = r.bool(0.5) ? 1 : Math.fround(1 / Math.sqrt(r.int(2, 200)));
      const strideK = mlasSgemmStrideK(n, k);
      const fast = mlasSgemmChain(a, 0, 1, b, 0, 1, k, alpha, strideK);
      const exact = mlasSgemmOutput((i) => fromFloat32(a[i]!), (i) => fromFloat32(b[i]!), k, alpha === 1 ? null : fromFloat32(alpha), strideK);
      expect(float32BitsOf(fast), `k ${k}, n ${n}`).toBe(float32BitsOf(toNumber(exact)));
      if (float32BitsOf(fast) !== float32BitsOf(mlasSgemmChain(a, 0, 1, b, 0, 1, k, alpha, k))) blocked++;
      const fastM1 = mlasSgemmM1(a, 0, 1, b, 0, 1, k);
      expect(float32BitsOf(fastM1), `M = 1, k ${k}`).toBe(float32BitsOf(toNumber(mlasSgemmM1Output((i) => fromFloat32(a[i]!), (i) => fromFloat32(b[i]!), k))));
      if (float32BitsOf(fastM1) !== float32BitsOf(mlasSgemmChain(a, 0, 1, b, 0, 1, k))) m1++;
    }
    expect(blocked, 'outputs whose bytes depend on the K blocks').toBeGreaterThan(3);
    expect(m1, 'outputs whose bytes differ between the M = 1 route and the fma chain').toBeGreaterThan(10);
  });

  it('reference and impl agree on the N = 1 route over every row group, not vacuously', () => {
    const r = new CaseRandom('mlas-sgemm-n1');
    let differs = 0;
    for (let run = 0; run < 40; run++) {
      const [k, rows] = [r.int(1, 40), r.int(1, 11)];
      const v = Float32Array.from({ length: k }, () => Math.fround((r.next() - 0.5) * 10));
      const m = Float32Array.from({ length: rows * k }, () => Math.fround(r.next() * r.pick([1, 1e-3])));
      const fast = mlasSgemmM1TransposeBRows(v, 0, 1, m, 0, k, 1, k, rows);
      const exact = exactRows((j) => fromFloat32(v[j]!), (i, j) => fromFloat32(m[i * k + j]!), k, rows);
      fast.forEach((y, i) => expect(float32BitsOf(y), `k ${k}, rows ${rows}, row ${i}`).toBe(float32BitsOf(toNumber(exact[i]!))));
      fast.forEach((y, i) => (differs += float32BitsOf(y) !== float32BitsOf(mlasSgemmChain(v, 0, 1, m, i * k, 1, k)) ? 1 : 0));
    }
    expect(differs, 'outputs whose bytes differ between the N = 1 route and the fma chain').toBeGreaterThan(10);
  });
});
