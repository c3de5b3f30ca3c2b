/**
 * The loop of torch 1.13.1's dequantize-compute-quantize elementwise kernels (qhardswish_kernel, qhardsigmoid_kernel in
 * aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp), exact: per element the vector lambda where
 * contract/aten_vectorized_loop.ts's mask says so (Vectorized<T>::dequantize's fma, the op's float32 function with
 * vec::maximum / vec::minimum, Vectorized<T>::quantize with the kernel's reciprocal), else the scalar lambda
 * (dequantize_val, the function with std::max / std::min, quantize_val). Float steps are float32 operations rounded
 * once on rationals (reference/exact); the integer steps are bigint.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { HardActivationGeometry } from '../../contract/quantized_hard_activations_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { VECTOR_KERNEL, ieeeMax, ieeeMin, stdMax, stdMin } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { vectorDequantize, vectorDequantizeParams, vectorQuantize } from './aten_vectorized_quantized.js';
import { dequantizeVal } from './dequantize.js';
import { type QuantizeValParams, prepareQuantizeVal, quantizeVal } from './quantize_val.js';
import { f32OfF64Reciprocal } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';

/** The min and max a form computes with: vec::minimum / vec::maximum (VECTOR_KERNEL) or std::min / std::max. */
export interface FloatMinMax {
  min(a: IeeeValue, b: IeeeValue): IeeeValue;
  max(a: IeeeValue, b: IeeeValue): IeeeValue;
}

export const VECTOR_MIN_MAX: FloatMinMax = { min: (a, b) => ieeeMin(a, b, VECTOR_KERNEL), max: (a, b) => ieeeMax(a, b, VECTOR_KERNEL) };
export const SCALAR_MIN_MAX: FloatMinMax = { min: stdMin, max: stdMax };

/** The kernel's output side: quantize_val's parameters (scalar form) and the float32 reciprocal of the vector form. */
export interface UnaryOutput {
  readonly scalar: QuantizeValParams;
  readonly vectorInverseScale: IeeeValue;
  readonly zeroPoint: bigint;
}

/**
 * The output side of both kernels for an output (q_scale, zero point): quantize_val's f32(1.0f / f32(scale)) and the
 * vector form's f32(1.0 / scale) in double (qhardswish_kernel's o_inv_scale, qhardsigmoid_kernel's inv_output_scale).
 */
export function unaryOutput(scale: number, zeroPoint: number, dtype: 'quint8' | 'qint8'): UnaryOutput {
  const s = fromFloat64(scale);
  const z = BigInt(zeroPoint);
  return { scalar: prepareQuantizeVal(s, z, dtype), vectorInverseScale: f32OfF64Reciprocal(s), zeroPoint: z };
}

/**
 * y[i] = quantize(fn(dequantize(x[i]))) in the form g.vectorForm[i] names (g: the contract check's); x's (q_scale, zero point) as torch passes
 * them (the double scale, rounded to float32 by both forms).
 */
export function atenQuantizedUnary(x: IntTensor, g: HardActivationGeometry, input: { scale: number; zeroPoint: number }, output: UnaryOutput, fn: (d: IeeeValue, mm: FloatMinMax) => IeeeValue): IntTensor {
  const p = vectorDequantizeParams(input.scale, input.zeroPoint);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const y = new Int32Array(x.data.length);
  for (let i = 0; i < y.length; i++) {
    const q = BigInt(x.data[i] as number);
    y[i] =
      g.vectorForm[i] === 1
        ? Number(vectorQuantize(fn(vectorDequantize(q, p), VECTOR_MIN_MAX), output.vectorInverseScale, output.zeroPoint, BigInt(min), BigInt(max)))
        : Number(quantizeVal(fn(dequantizeVal(q, p.scale, p.zeroPoint), SCALAR_MIN_MAX), output.scalar));
  }
  return intTensor(g.dtype, x.shape, y);
}
