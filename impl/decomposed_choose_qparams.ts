import type { QuantDtype } from '../contract/dtypes.js';
import { checkDecomposedChooseQparams } from '../contract/decomposed_checks.js';
import { type F32Tensor, type F64Tensor, type IntData, type IntTensor, f64Tensor, int32Data, intTensor } from '../contract/tensor.js';
import { checkMinMaxValid, qparamsFromMinMax } from './qparams.js';
import { aminmaxAll } from './torch_minmax.js';

/**
 * decomposed_choose_qparams@1, fast twin of reference/ops/decomposed_choose_qparams.ts: torch.aminmax, then the
 * observers' per_tensor_affine qparams (qparamsFromMinMax) with the range as given and eps as float32; the float32
 * scale widened to float64, the zero point to int64.
 */
export function decomposedChooseQparams(x: F32Tensor, a: { quantMin: number; quantMax: number; eps: number; dtype: QuantDtype }): { scale: F64Tensor; zeroPoint: IntTensor } {
  const dtype = checkDecomposedChooseQparams(x, a);
  const { min, max } = aminmaxAll(x.data);
  const mins = Float32Array.of(min);
  const maxs = Float32Array.of(max);
  checkMinMaxValid(mins, maxs, true, 'decomposed_choose_qparams: torch.aminmax(x)'); // never the unobserved state: x is not empty
  const q = qparamsFromMinMax('decomposed_choose_qparams', mins, maxs, true, { quantMin: a.quantMin, quantMax: a.quantMax, hasCustomizedQrange: false, dtype, qscheme: 'per_tensor_affine', epsF: Math.fround(a.eps) });
  return { scale: f64Tensor([1], Float64Array.from(q.scale.data)), zeroPoint: intTensor('int64', [1], int32Data(q.zeroPoint.data as IntData)) };
}
