/**
 * quantize_per_tensor's element loop in WebAssembly SIMD128 (impl/conv/wasm/quantize_kernels.c): the same
 * quantize_val bits as impl/quantize.ts quantizeValue, four elements per instruction, with no per-element work
 * in JavaScript (one copy in, one copy out).
 */
import { align16, convKernelModule } from './conv/wasm/kernel_module.js';

/** quantizeValue(src[i], inv, zeroPointF, qmin, qmax) for every i, or null without WebAssembly SIMD128. */
export function quantizePerTensorWasm(src: Float32Array, inv: number, zeroPointF: number, qmin: number, qmax: number): Int32Array | null {
  const mod = convKernelModule();
  if (mod === null) return null;
  const n = src.length;
  const xAt = align16(mod.heapBase);
  const outAt = align16(xAt + n * 4);
  const mem = mod.memoryOfAtLeast(outAt + n * 4);
  mem.f32.set(src, xAt / 4);
  mod.quantizePerTensorF32(xAt, n, outAt, inv, zeroPointF, qmin, qmax);
  return mem.i32.slice(outAt / 4, outAt / 4 + n);
}
