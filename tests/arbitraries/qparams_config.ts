import fc from 'fast-check';
import type { QScheme } from '../../contract/dtypes.js';
import type { QparamsConfig } from '../../contract/ops.js';
import { customQuantRange } from './custom_quant_range.js';
import { eps } from './eps.js';
import { anyQuantDtype } from './quant_dtype.js';

export const PER_TENSOR_QSCHEMES = ['per_tensor_affine', 'per_tensor_symmetric'] as const satisfies readonly QScheme[];
export const PER_CHANNEL_QSCHEMES = ['per_channel_affine', 'per_channel_symmetric', 'per_channel_affine_float_qparams'] as const satisfies readonly QScheme[];

/**
 * An observer / calculate_qparams configuration with a qscheme from `fitting`, rarely one from
 * `misfitting` (rejected), over every dtype, reduce_range, custom quant ranges and eps variants.
 */
export function qparamsConfig(fitting: readonly QScheme[], misfitting: readonly QScheme[] = []): fc.Arbitrary<QparamsConfig> {
  const qscheme =
    misfitting.length === 0
      ? fc.constantFrom(...fitting)
      : fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: fc.constantFrom(...misfitting) });
  return fc
    .record({
      dtype: anyQuantDtype,
      qscheme,
      reduceRange: fc.boolean(),
      range: customQuantRange,
      eps,
    })
    .map(({ range, ...rest }) => ({ ...rest, ...range }));
}

export const perTensorConfig = qparamsConfig(PER_TENSOR_QSCHEMES, PER_CHANNEL_QSCHEMES);
export const perChannelConfig = qparamsConfig(PER_CHANNEL_QSCHEMES, PER_TENSOR_QSCHEMES);
