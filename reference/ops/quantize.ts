import { type QuantDtype, assertQuantDtype } from '../../spec/dtypes.js';
import { type F32Tensor, type F64Tensor, type IntTensor, channelLayout, channelOf, intTensor } from '../../spec/tensor.js';
import { normalizeAxis, rejectSubByteDtype, validateChannelCount, validateDtypeZeroPoint, validateF32, validateScale } from '../../spec/validate.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { exactElementsF32 } from '../values.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

/**
 * torch.quantize_per_tensor (1.13: quantize_tensor_per_tensor_affine_cpu, QuantizedOpKernels.cpp l.3539):
 * quantizeVal on every element with one prepared float32 reciprocal. Output in the dtype range.
 */
export function quantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; dtype: QuantDtype }): IntTensor {
  const dtype = assertQuantDtype('quantize_per_tensor: dtype', a.dtype);
  validateF32('quantize_per_tensor: x', x);
  validateDtypeZeroPoint('quantize_per_tensor: zero_point', a.zeroPoint, dtype); // torch checks the zero point first
  validateScale('quantize_per_tensor: scale', a.scale);
  const p = prepareQuantizeVal(fromFloat64(a.scale), BigInt(a.zeroPoint), dtype);
  return intTensor(dtype, x.shape, exactElementsF32(x).map((v) => Number(quantizeVal(v, p))));
}

/**
 * torch.quantize_per_channel (quantize_tensor_per_channel_impl, QuantizedOpKernels.cpp l.3611): the scales
 * are float64 and quantizeVal uses (float)scales[c]; one prepared reciprocal per channel.
 */
export function quantizePerChannel(
  x: F32Tensor,
  scales: F64Tensor,
  zeroPoints: IntTensor,
  a: { axis: number; dtype: QuantDtype },
): IntTensor {
  const what = 'quantize_per_channel';
  const dtype = assertQuantDtype(`${what}: dtype`, a.dtype);
  rejectSubByteDtype(what, dtype);
  validateF32(`${what}: x`, x);
  const axis = normalizeAxis(`${what}: axis`, a.axis, x.shape.length, false);
  validateChannelCount(`${what}: scales/zero_points`, x, axis, [scales, zeroPoints]);
  zeroPoints.data.forEach((z, c) => validateDtypeZeroPoint(`${what}: zero_points[${c}]`, z, dtype));
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
  const params = Array.from(scales.data, (s, c) => prepareQuantizeVal(fromFloat64(s), BigInt(zeroPoints.data[c] as number), dtype));
  const layout = channelLayout(x.shape, axis);
  return intTensor(dtype, x.shape, exactElementsF32(x).map((v, i) => Number(quantizeVal(v, params[channelOf(i, layout)]!))));
}
