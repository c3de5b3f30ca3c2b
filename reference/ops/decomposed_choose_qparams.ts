import type { QuantDtype } from '../../contract/dtypes.js';
import { checkDecomposedChooseQparams } from '../../contract/decomposed_checks.js';
import { checkQparamsZeroPoint } from '../../contract/op_checks.js';
import { type F32Tensor, type F64Tensor, type IntTensor, intTensor } from '../../contract/tensor.js';
import { toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { elementwiseKernelRule } from '../exact/ieee_compare.js';
import { aminmaxAll } from '../observers/aminmax.js';
import { toF64Tensor } from '../values.js';
import { calculateChannelQparams, checkMinMaxValid } from './qparams.js';

/**
 * torch.ops.quantized_decomposed.choose_qparams.tensor of torch 2.6 (torch/ao/quantization/fx/_decomposed.py): PT2E's
 * dynamic per-tensor affine qparams.
 *   min_val, max_val = torch.aminmax(input)     float32, the AVX2 lane reduction (aminmaxAll)
 *   determine_qparams(min_val, max_val, quant_min, quant_max, dtype, torch.Tensor([eps]), has_customized_qrange=False)
 *     (torch/ao/quantization/utils.py; per_tensor_affine): check_min_max_valid (a NaN input fails its assertion), then
 *     the float32 steps of the observers' _calculate_qparams with the range as given (no calculate_qmin_qmax remapping)
 *     and eps rounded to float32: calculateChannelQparams; a quant_min or quant_max outside int32 raises there
 *     (checkQparamsZeroPoint)
 *   scale.to(torch.double), zero_point.to(torch.int64)   exact widenings: scale float64 [1], zero_point int64 [1]
 */
export function decomposedChooseQparams(x: F32Tensor, a: { quantMin: number; quantMax: number; eps: number; dtype: QuantDtype }): { scale: F64Tensor; zeroPoint: IntTensor } {
  const dtype = checkDecomposedChooseQparams(x, a);
  const { min, max } = aminmaxAll(x);
  checkMinMaxValid([min], [max], true, 'decomposed_choose_qparams: torch.aminmax(x)'); // never the unobserved state: x is not empty
  const range = { quantMin: a.quantMin, quantMax: a.quantMax, hasCustomizedQrange: false };
  checkQparamsZeroPoint('decomposed_choose_qparams', { ...range, dtype, qscheme: 'per_tensor_affine' }); // a range beyond int32 raises
  const eps = toF32(fromFloat64(a.eps));
  const q = calculateChannelQparams(min, max, { qscheme: 'per_tensor_affine', dtype, eps, kernel: elementwiseKernelRule(0, 1) }, range);
  return { scale: toF64Tensor([1], [q.scale]), zeroPoint: intTensor('int64', [1], [Number(q.zeroPoint as bigint)]) };
}
