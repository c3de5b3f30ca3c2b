/**
 * quantized_add@1, exact reference: torch 1.13.1 quantized::add / add_relu on its fbgemm, onednn and x86 engines
 * (qadd_kernel, aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp). The two forms and where each
 * applies: contract/quantized_add.ts and contract/aten_vectorized_loop.ts. Every float step is one float32 operation
 * rounded once on rationals (reference/exact); the integer steps are bigint.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QuantizedAddAttrs } from '../../contract/quantized_add.js';
import { checkQuantizedAdd } from '../../contract/quantized_add_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { ZERO_F32 } from '../constants.js';
import { f32Add } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { VECTOR_KERNEL, ieeeMax, stdMax } from '../exact/ieee_compare.js';
import { vectorDequantize, vectorDequantizeParams, vectorQuantize } from './aten_vectorized_quantized.js';
import { dequantizeVal } from './dequantize.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

/**
 * quantized::add(a, b, scale, zero_point) and add_relu: per element, the vector lambda of qadd_kernel where
 * vectorFormMask says so (fma dequantize, float32 add, vec::maximum, vectorQuantize), else its scalar lambda
 * (dequantize_val's f32(s * (q - z)), float32 add, std::max, quantize_val).
 */
export function quantizedAdd(a: IntTensor, b: IntTensor, attrs: QuantizedAddAttrs): IntTensor {
  const g = checkQuantizedAdd(a, b, attrs);
  const pa = vectorDequantizeParams(attrs.aScale, attrs.aZeroPoint);
  const pb = vectorDequantizeParams(attrs.bScale, attrs.bZeroPoint);
  const out = prepareQuantizeVal(fromFloat64(attrs.scale), BigInt(attrs.zeroPoint), g.dtype);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const qa = a.data[i] as number;
    const qb = b.data[i] as number;
    if (g.vectorForm[i] === 1) {
      const c = f32Add(vectorDequantize(BigInt(qa), pa), vectorDequantize(BigInt(qb), pb));
      const r = attrs.relu ? ieeeMax(c, ZERO_F32, VECTOR_KERNEL) : c;
      y[i] = Number(vectorQuantize(r, out.inverseScale, out.zeroPoint, BigInt(min), BigInt(max)));
    } else {
      const c = f32Add(dequantizeVal(BigInt(qa), pa.scale, pa.zeroPoint), dequantizeVal(BigInt(qb), pb.scale, pb.zeroPoint));
      y[i] = Number(quantizeVal(attrs.relu ? stdMax(c, ZERO_F32) : c, out));
    }
  }
  return intTensor(g.dtype, a.shape, y);
}
