import { assertQuantDtype } from '../../spec/dtypes.js';
import type { FixedQparamsObserverAttrs, Qparams } from '../../spec/ops.js';
import { type F32Tensor, f32Tensor, intTensor } from '../../spec/tensor.js';
import { validateF32, validateFakeQuantRange, validateScale, validateZeroPoint } from '../../spec/validate.js';

/**
 * FixedQParamsObserver (torch/ao/quantization/observer.py): forward is the identity and
 * calculate_qparams returns its buffers, `torch.tensor([scale], dtype=torch.float)` (the double
 * rounded once to float32) and `torch.tensor([zero_point], dtype=torch.int)` (int32). torch checks
 * nothing; the contract asks for a valid scale and a zero point inside [quant_min, quant_max].
 */
export function fixedQparamsObserver(batches: readonly F32Tensor[], a: FixedQparamsObserverAttrs): Qparams {
  const what = 'fixed_qparams_observer';
  assertQuantDtype(`${what}: dtype`, a.dtype);
  validateScale(`${what}: scale`, a.scale);
  validateFakeQuantRange(`${what}: quant_min, quant_max`, a.quantMin, a.quantMax);
  validateZeroPoint(`${what}: zero_point`, a.zeroPoint, a.quantMin, a.quantMax);
  batches.forEach((batch, i) => validateF32(`${what}: batches[${i}]`, batch));
  return { scale: f32Tensor([1], [Math.fround(a.scale)]), zeroPoint: intTensor('int32', [1], [a.zeroPoint]) };
}
