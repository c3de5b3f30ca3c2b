import type { QuantDtype } from '../../contract/dtypes.js';
import { checkDecomposedDequantizePerChannel, checkDecomposedDequantizePerTensor } from '../../contract/decomposed_checks.js';
import { type F32Tensor, type IntTensor, numel } from '../../contract/tensor.js';
import { broadcastChannel, broadcastSource } from '../../contract/decomposed_channel_broadcast.js';
import { f32Mul, f32Sub, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { exactElementsF32, toF32Tensor } from '../values.js';

/**
 * torch.ops.quantized_decomposed.dequantize_per_tensor of torch 2.6 (torch/ao/quantization/fx/_decomposed.py; its .tensor
 * form takes scale.item() and zero_point.item() and calls it): `(input.to(float32) - zero_point) * scale`:
 *   f32(q)                     uint8 / int8 to float32, exact
 *   d = f32(f32(q) - f32(zp))  the Python int meets a float32 tensor: converted to float32, float32 subtraction
 *   x = f32(d * f32(scale))    the Python float meets a float32 tensor: rounded to float32, float32 product
 * quant_min, quant_max and dtype take no part. For a zero point of the dtype's range d is exact and this is
 * dequantize_per_tensor@1's value (f32(f32(scale) * f32(q - zp))); it differs only where f32(zp) rounds.
 */
export function decomposedDequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): F32Tensor {
  checkDecomposedDequantizePerTensor(q, a);
  const scale = toF32(fromFloat64(a.scale));
  const zp = intToF32(BigInt(a.zeroPoint));
  return toF32Tensor(q.shape, Array.from(q.data, (v) => f32Mul(f32Sub(intToF32(BigInt(v)), zp), scale)));
}

/**
 * torch.ops.quantized_decomposed.dequantize_per_channel of torch 2.6 (_decomposed.py), with float32 scales and int32 /
 * int64 zero points (or none): `(input - zero_points) * scales`, then `.to(float32)`:
 *   d = q - zp_c               integer tensor arithmetic in the promoted dtype: int64 exact, int32 wrapping
 *   x = f32(f32(d) * s_c)      the integer tensor meets float32 scales: converted to float32, float32 product
 * Without zero points, x = f32(f32(q) * s_c). quant_min and quant_max are only checked against the dtype (quant_min >
 * quant_max passes). The axis may be negative and the parameters broadcast against the input's axis dimension
 * (contract/decomposed_channel_broadcast.ts): the output takes the broadcast shape.
 */
export function decomposedDequantizePerChannel(q: IntTensor, scales: F32Tensor, zeroPoints: IntTensor | null, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): F32Tensor {
  const { layout } = checkDecomposedDequantizePerChannel(q, scales, zeroPoints, a);
  const s = exactElementsF32(scales);
  const wrap = zeroPoints?.dtype === 'int32' ? wrapInt32 : (n: bigint) => n;
  const zp = (c: number) => BigInt(zeroPoints ? zeroPoints.data[c]! : 0);
  return toF32Tensor(layout.shape, Array.from({ length: numel(layout.shape) }, (_, i) => {
    const c = broadcastChannel(i, layout);
    return f32Mul(intToF32(wrap(BigInt(q.data[broadcastSource(i, layout)]!) - zp(c))), s[c]!);
  }));
}
