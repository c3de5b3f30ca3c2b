/**
 * impl's WebAssembly quantize_per_tensor loop (impl/quantize_wasm.ts, impl/conv/wasm/quantize_kernels.c) against
 * its JavaScript path and the exact reference, bit for bit, on every dtype: ordinary values, exact ties of
 * x * inv, values around the FAST_LIMIT of the JavaScript fast path, huge values that saturate or pass 2^63, NaN,
 * +-inf, -0, subnormals, tiny and huge scales (an inverse that overflows to inf), lengths that leave every tail
 * of the 8-wide loop. Seeded; each failure names its seed and case.
 */
import { describe, expect, it } from 'vitest';
import { QUANT_DTYPES, DTYPE_RANGE } from '../../contract/dtypes.js';
import { f32Tensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { quantizePerTensorOn } from '../../impl/quantize.js';
import { reference } from '../../reference/index.js';

const SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4e38, -3.4e38, 2 ** 22, -(2 ** 22), 2 ** 31, -(2 ** 31), 2 ** 63, -(2 ** 63), 0.5, -0.5, 1.5, 2.5, -2.5];

function outcome(run: () => { data: ArrayLike<number>; dtype: string; shape: readonly number[] }): string {
  try {
    const t = run();
    return `${t.dtype} [${t.shape}] ${Array.from(t.data).join(',')}`;
  } catch (e) {
    return `error ${(e as Error).message}`;
  }
}

describe('impl quantize_per_tensor: WebAssembly path == JavaScript path == reference', () => {
  it('agrees on every dtype, with specials, ties and every tail length, not vacuously', () => {
    const counter = { wasm: 0 };
    let compared = 0;
    let ties = 0;
    for (const dtype of QUANT_DTYPES) {
      const seed = `wasm-quantize ${dtype}`;
      const r = new CaseRandom(seed);
      for (let i = 0; i < 40; i++) {
        const n = i < 17 ? i : r.int(1, 300);
        const scale = i % 10 === 9 ? [1e-45, 1e-40, 3e38][r.int(0, 2)]! : Math.fround(0.001 + r.next() * 0.2);
        const { min, max } = DTYPE_RANGE[dtype];
        const zeroPoint = r.int(Math.max(min, -1000), Math.min(max, 1000));
        const data = Array.from({ length: n }, () => {
          const k = r.int(0, 9);
          if (k === 0) return SPECIALS[r.int(0, SPECIALS.length - 1)]!;
          if (k === 1) return Math.fround((r.int(-600, 600) + 0.5) * scale); // near a tie of x * inv
          if (k === 2) return Math.fround(r.normal() * 2 ** r.int(20, 70));
          return Math.fround(r.normal() * scale * 300);
        });
        const x = f32Tensor([n], data);
        const a = { scale, zeroPoint, dtype };
        const want = outcome(() => reference.quantizePerTensor(x, a));
        const js = outcome(() => quantizePerTensorOn('js', x, a));
        const before = counter.wasm;
        const wasm = outcome(() => quantizePerTensorOn('wasm', x, a, counter));
        const where = `seed "${seed}" case ${i}: scale ${scale} zero point ${zeroPoint} x [${data.join(', ')}]`;
        expect(js, `js vs reference, ${where}`).toBe(want);
        expect(wasm, `wasm vs reference, ${where}`).toBe(want);
        if (!want.startsWith('error')) expect(counter.wasm, `WebAssembly computed ${where}`).toBe(before + 1);
        compared++;
        const inv = Math.fround(1 / Math.fround(scale));
        ties += data.filter((v) => Number.isFinite(v) && Math.abs(Math.fround(v * inv) % 1) === 0.5).length;
      }
    }
    expect(compared).toBe(QUANT_DTYPES.length * 40);
    expect(counter.wasm).toBeGreaterThan(0.9 * compared);
    expect(ties).toBeGreaterThan(50);
  });
});
