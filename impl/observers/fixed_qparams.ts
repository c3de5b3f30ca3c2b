import { checkFixedQparams } from '../../contract/op_checks.js';
import type { FixedQparamsObserverAttrs, Qparams } from '../../contract/ops.js';
import { type F32Tensor, f32Tensor, intTensor } from '../../contract/tensor.js';

/**
 * FixedQParamsObserver (torch/ao/quantization/observer.py): forward is the identity and
 * calculate_qparams returns its buffers, `torch.tensor([scale], dtype=torch.float)` (the double
 * rounded once to float32) and `torch.tensor([zero_point], dtype=torch.int)` (int32). torch checks
 * nothing; the contract asks for a usable scale and a zero point that fits the int32 buffer (checkFixedQparams).
 */
export function fixedQparamsObserver(batches: readonly F32Tensor[], a: FixedQparamsObserverAttrs): Qparams {
  checkFixedQparams(batches, a);
  return { scale: f32Tensor([1], [Math.fround(a.scale)]), zeroPoint: intTensor('int32', [1], [a.zeroPoint]) };
}
