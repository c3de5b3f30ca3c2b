import type { QuantDtype } from '../../contract/dtypes.js';
import { checkDecomposedQuantizePerTensor } from '../../contract/op_checks.js';
import { type F32Tensor, type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Mul, f64Div, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { type IeeeValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { nearbyint, truncToInt64 } from '../exact/x86_conversions.js';
import { clampFloat } from '../requant/float_clamp.js';
import { exactElementsF32 } from '../values.js';

const F64_ONE = finite(Rational.ONE);

/**
 * torch.ops.quantized_decomposed.quantize_per_tensor of torch 2.6 (torch/ao/quantization/fx/_decomposed.py; its
 * .tensor form takes scale.item() and zero_point.item() and calls it), the PT2E / ExecuTorch quantize:
 *   inv = 1.0 / scale               a Python float division (float64)
 *   v = f32(x * (float)inv)         the Python scalar meets a float32 tensor: rounded to float32, float32 product
 *   r = torch.round(v)              half-even, stays float32
 *   t = f32(r + (float)zero_point)  float32 addition
 *   c = clamp(t, quant_min, quant_max)  in float32; NaN stays NaN
 *   q = c.to(dtype)                 an integral float to uint8 / int8; NaN converts to 0 (x86: cvttss2si gives
 *                                   INT32_MIN, whose low byte is 0; measured on torch 2.6)
 * It differs from quantize_per_tensor@1 in the reciprocal (float64 1/scale rounded, not 1.0f / (float)scale), the
 * clamp (the quant range, not the dtype's) and NaN (0, not the clamped INT64_MIN).
 */
export function decomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const dtype = checkDecomposedQuantizePerTensor(x, a);
  const inv = toF32(f64Div(F64_ONE, fromFloat64(a.scale)));
  const zp = intToF32(BigInt(a.zeroPoint));
  const lo = intToF32(BigInt(a.quantMin));
  const hi = intToF32(BigInt(a.quantMax));
  const one = (v: IeeeValue): number => {
    const t = f32Add(nearbyint(f32Mul(v, inv)), zp);
    return t.kind === 'nan' ? 0 : Number(truncToInt64(clampFloat(t, lo, hi)));
  };
  return intTensor(dtype, x.shape, exactElementsF32(x).map(one));
}
