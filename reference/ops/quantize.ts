import type { QuantDtype } from '../../contract/dtypes.js';
import { checkQuantizePerChannel, checkQuantizePerTensor } from '../../contract/op_checks.js';
import { type F32Tensor, type F64Tensor, type IntTensor, channelLayout, channelOf, intTensor } from '../../contract/tensor.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { exactElementsF32 } from '../values.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

/**
 * torch.quantize_per_tensor (1.13: quantize_tensor_per_tensor_affine_cpu, QuantizedOpKernels.cpp l.3539):
 * quantizeVal on every element with one prepared float32 reciprocal. Output in the dtype range.
 */
export function quantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; dtype: QuantDtype }): IntTensor {
  const dtype = checkQuantizePerTensor(x, a);
  const p = prepareQuantizeVal(fromFloat64(a.scale), BigInt(a.zeroPoint), dtype);
  return intTensor(dtype, x.shape, exactElementsF32(x).map((v) => Number(quantizeVal(v, p))));
}

/**
 * torch.quantize_per_channel (quantize_tensor_per_channel_impl, QuantizedOpKernels.cpp l.3611): the scales
 * are float64 and quantizeVal uses (float)scales[c]; one prepared reciprocal per channel.
 */
export function quantizePerChannel(x: F32Tensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number; dtype: QuantDtype }): IntTensor {
  const { dtype, axis } = checkQuantizePerChannel(x, scales, zeroPoints, a);
  const params = Array.from(scales.data, (s, c) => prepareQuantizeVal(fromFloat64(s), BigInt(zeroPoints.data[c]!), dtype));
  const layout = channelLayout(x.shape, axis);
  return intTensor(dtype, x.shape, exactElementsF32(x).map((v, i) => Number(quantizeVal(v, params[channelOf(i, layout)]!))));
}
