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
import { f32Add, f32Fma, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { VECTOR_KERNEL, ieeeMax, minps, stdMax } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq, wrapInt32 } from '../exact/x86_conversions.js';
import { dequantizeVal } from './dequantize.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

/** 2^31 - 128, the largest float32 below 2^31: QuantizeAvx2 / QuantizeAvx512's int32_float_max_val. */
const INT32_FLOAT_MAX = intToF32(2n ** 31n - 128n);

/** One input's float32 scale, zero point and the vector form's premultiplied f32(s * -f32(z)). */
interface InputQparams {
  readonly scale: IeeeValue;
  readonly zeroPoint: bigint;
  readonly premul: IeeeValue;
}

function inputQparams(scale: number, zeroPoint: number): InputQparams {
  const s = toF32(fromFloat64(scale));
  return { scale: s, zeroPoint: BigInt(zeroPoint), premul: f32Mul(s, intToF32(BigInt(-zeroPoint))) };
}

/** Vectorized<T>::dequantize: fma(s, f32(q), f32(s * -z)), one rounding. */
function vectorDequantize(q: number, p: InputQparams): IeeeValue {
  return f32Fma(p.scale, intToF32(BigInt(q)), p.premul);
}

/**
 * Vectorized<T>::quantize (QuantizeAvx2 / QuantizeAvx512): minps(f32(c * inv), 2^31 - 128), cvtps2dq, the zero point
 * added in int32 (wrapping), the saturating packs (a clamp to the dtype).
 */
function vectorQuantize(c: IeeeValue, inverseScale: IeeeValue, zeroPoint: bigint, lo: bigint, hi: bigint): bigint {
  const t = minps(f32Mul(c, inverseScale), INT32_FLOAT_MAX);
  return clampInt(wrapInt32(cvtps2dq(t) + zeroPoint), lo, hi);
}

/**
 * quantized::add(a, b, scale, zero_point) and add_relu: per element, the vector lambda of qadd_kernel where
 * vectorFormMask says so (fma dequantize, float32 add, vec::maximum, vectorQuantize), else its scalar lambda
 * (dequantize_val's f32(s * (q - z)), float32 add, std::max, quantize_val).
 */
export function quantizedAdd(a: IntTensor, b: IntTensor, attrs: QuantizedAddAttrs): IntTensor {
  const g = checkQuantizedAdd(a, b, attrs);
  const pa = inputQparams(attrs.aScale, attrs.aZeroPoint);
  const pb = inputQparams(attrs.bScale, attrs.bZeroPoint);
  const out = prepareQuantizeVal(fromFloat64(attrs.scale), BigInt(attrs.zeroPoint), g.dtype);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const qa = a.data[i] as number;
    const qb = b.data[i] as number;
    if (g.vectorForm[i] === 1) {
      const c = f32Add(vectorDequantize(qa, pa), vectorDequantize(qb, pb));
      const r = attrs.relu ? ieeeMax(c, ZERO_F32, VECTOR_KERNEL) : c;
      y[i] = Number(vectorQuantize(r, out.inverseScale, out.zeroPoint, BigInt(min), BigInt(max)));
    } else {
      const c = f32Add(dequantizeVal(BigInt(qa), pa.scale, pa.zeroPoint), dequantizeVal(BigInt(qb), pb.scale, pb.zeroPoint));
      y[i] = Number(quantizeVal(attrs.relu ? stdMax(c, ZERO_F32) : c, out));
    }
  }
  return intTensor(g.dtype, a.shape, y);
}
