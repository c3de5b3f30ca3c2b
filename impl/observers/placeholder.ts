import type { QuantDtype } from '../../contract/dtypes.js';
import { QconformError } from '../../contract/errors.js';
import type { F32Tensor } from '../../contract/tensor.js';

/**
 * PlaceholderObserver (torch/ao/quantization/observer.py): forward is the identity and
 * calculate_qparams raises, so the op always throws placeholder_has_no_qparams.
 */
export function placeholderObserver(_batches: readonly F32Tensor[], a: { dtype: QuantDtype }): never {
  throw new QconformError('placeholder_has_no_qparams', 'placeholder_observer: calculate_qparams', a.dtype);
}
