import { QconformError } from '../../contract/errors.js';
import type { FixedQparamsObserverAttrs, Qparams } from '../../contract/ops.js';
import { type F32Tensor, intTensor } from '../../contract/tensor.js';
import { checkFixedQparams } from '../../contract/op_checks.js';
import { toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { toF32Tensor } from '../values.js';

/**
 * torch.ao.quantization.FixedQParamsObserver (observer.py l.1270): forward is the identity;
 * calculate_qparams returns torch.tensor([scale], dtype=float) and torch.tensor([zero_point], dtype=int).
 */
export function fixedQparamsObserver(batches: readonly F32Tensor[], a: FixedQparamsObserverAttrs): Qparams {
  checkFixedQparams(batches, a);
  return { scale: toF32Tensor([1], [toF32(fromFloat64(a.scale))]), zeroPoint: intTensor('int32', [1], [a.zeroPoint]) };
}

/** torch.ao.quantization.PlaceholderObserver (observer.py l.1308): carries a dtype; calculate_qparams raises. */
export function placeholderObserver(_batches: readonly F32Tensor[], a: { dtype: string }): never {
  throw new QconformError('placeholder_has_no_qparams', 'placeholder_observer: calculate_qparams', a.dtype);
}
