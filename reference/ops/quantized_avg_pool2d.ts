/**
 * quantized_avg_pool2d@1 and @2, exact reference: torch 1.13.1's (and 2.6.0's) avg_pool2d on a quantized tensor (avg_pool2d_quantized_cpu,
 * aten/src/ATen/native/quantized/cpu/AveragePool2d.cpp), its NHWC kernel (_qavg_pool_nhwc_kernel, with
 * do_avg_pool_nhwc_on_AVX_n's vector channels, kernels/QuantizedOpKernels.cpp) and its NCHW one (avg_pool2d_out_frame);
 * the formulas and which kernel runs: contract/quantized_avg_pool2d.ts. Every float step is one float32 operation
 * rounded once on rationals (reference/exact; NCHW's multiplier a float64 division rounded to float32); sums are bigint.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QuantizedAvgPool2dAttrs } from '../../contract/quantized_avg_pool2d.js';
import { type QuantizedAvgPool2dGeometry, avgPoolWindow, checkQuantizedAvgPool2d } from '../../contract/quantized_avg_pool2d_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { pooledOutputIndex } from '../../contract/torch_pool_layout.js';
import { ONE_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, intToF32, intToF64, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, nearbyint, truncToInt32 } from '../exact/x86_conversions.js';
import { vectorQuantize } from './aten_vectorized_quantized.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

type Window = ReturnType<typeof avgPoolWindow>;

/** What every output of a call shares: f32(scale), the zero point, the dtype's range. */
interface PoolConstants {
  readonly scale: IeeeValue;
  readonly z: bigint;
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * One output before the kernel stores it: acc = sum of the window's stored values - z * size (int32), then the NHWC
 * kernel's QuantizeAvx2 / Avx512 (a vector channel) or quantize_val(f32(1 / m)) (the others), m = f32(f32(f32(s) /
 * f32(s)) / f32(divisor)); or the NCHW kernel's clamp(nearbyint(f32(f32(acc) m) + f32(z))), m = f32(1.0 / divisor).
 */
function pooledValue(x: IntTensor, g: QuantizedAvgPool2dGeometry, attrs: QuantizedAvgPool2dAttrs, k: PoolConstants, plane: number, r: Window, c: Window, vector: boolean): bigint {
  let sum = 0n;
  for (let iy = r.from; iy < r.to; iy++) for (let ix = c.from; ix < c.to; ix++) sum += BigInt(x.data[(plane * g.h + iy) * g.w + ix] as number);
  const size = (r.to - r.from) * (c.to - c.from);
  const divisor = BigInt(attrs.divisorOverride ?? (attrs.countIncludePad ? r.padded * c.padded : size));
  const { z, lo, hi } = k;
  const acc = intToF32(sum - z * BigInt(size));
  if (g.kernel === 'nhwc') {
    const m = f32Div(f32Div(k.scale, k.scale), intToF32(divisor));
    return vector ? vectorQuantize(acc, m, z, lo, hi) : quantizeVal(acc, prepareQuantizeVal(f32Div(ONE_F32, m), z, g.dtype));
  }
  const m = f32OfF64Reciprocal(intToF64(divisor));
  return clampInt(truncToInt32(nearbyint(f32Add(f32Mul(acc, m), intToF32(z)))), lo, hi);
}

/**
 * avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override) on a quantized x: per
 * pixel, every channel's pooledValue, each stored where the kernel stores it (g.storedChannels: torch 1.13's AVX512
 * QuantizeAvx512 repeats some) and where its output tensor puts it (pooledOutputIndex).
 */
export function quantizedAvgPool2d(x: IntTensor, attrs: QuantizedAvgPool2dAttrs): IntTensor {
  const g = checkQuantizedAvgPool2d(x, attrs);
  const rows = Array.from({ length: g.oh }, (_, o) => avgPoolWindow(o, attrs.stride[0], attrs.padding[0], attrs.kernelSize[0], g.h));
  const cols = Array.from({ length: g.ow }, (_, o) => avgPoolWindow(o, attrs.stride[1], attrs.padding[1], attrs.kernelSize[1], g.w));
  const k: PoolConstants = { scale: toF32(fromFloat64(attrs.scale)), z: BigInt(attrs.zeroPoint), lo: BigInt(DTYPE_RANGE[g.dtype].min), hi: BigInt(DTYPE_RANGE[g.dtype].max) };
  const y = new Int32Array(g.n * g.c * g.oh * g.ow);
  const values = new Array<bigint>(g.c);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ch = 0; ch < g.c; ch++) values[ch] = pooledValue(x, g, attrs, k, b * g.c + ch, rows[oy]!, cols[ox]!, ch < g.vectorChannels);
        for (let ch = 0; ch < g.c; ch++) y[pooledOutputIndex(g, b * g.c + ch, oy, ox)] = Number(values[g.storedChannels[ch]!]);
      }
    }
  }
  return intTensor(g.dtype, g.outShape, y);
}
