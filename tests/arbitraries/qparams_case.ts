import fc from 'fast-check';
import type { QparamsConfig } from '../../contract/ops.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { channelCount } from './channel_shape.js';
import { type MinMaxPair, minMaxPair, orderedMinMaxPair } from './min_max_pair.js';
import { parameterArray } from './parameter_array.js';
import { perChannelConfig, perTensorConfig } from './qparams_config.js';

export interface CalculateQparamsCase {
  readonly minVal: F32Tensor;
  readonly maxVal: F32Tensor;
  readonly config: QparamsConfig;
}

/** State tensors from pairs: shape [] for one per-tensor pair, [C] per-channel. */
function stateCase(pairs: readonly MinMaxPair[], perChannel: boolean, config: QparamsConfig): CalculateQparamsCase {
  const shape = perChannel ? [pairs.length] : [];
  return { minVal: f32Tensor(shape, pairs.map((p) => p.min)), maxVal: f32Tensor(shape, pairs.map((p) => p.max)), config };
}

/** Per-channel states of C pairs: mixed kinds, or every channel a signed-zero pair (the ±0 tie rules). */
const channelPairs = channelCount(40).chain((c) =>
  fc.oneof(
    { weight: 4, arbitrary: parameterArray(orderedMinMaxPair, minMaxPair, c) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(0, -0), { minLength: 2 * c, maxLength: 2 * c }).map((z) => z.slice(0, c).map((min, i) => ({ min, max: z[c + i]! }))) },
  ),
);

/**
 * calculate_qparams inputs: per-tensor ([] state) or per-channel ([C] state, C up to 40); the config's
 * qscheme sometimes belongs to the other family, so the state shape mismatches it (rejected).
 */
export const calculateQparamsCase: fc.Arbitrary<CalculateQparamsCase> = fc.oneof(
  fc.tuple(minMaxPair, perTensorConfig).map(([pair, config]) => stateCase([pair], false, config)),
  fc.tuple(channelPairs, perChannelConfig).map(([pairs, config]) => stateCase(pairs, true, config)),
);
