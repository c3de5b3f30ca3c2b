/** tosa-single-round@1: TOSA 1.0 RESCALE with rounding_mode SINGLE_ROUND (apply_scale_32, double_round = false); see tosa_rescale.ts. */
import { type TosaParams, prepareTosa, rescaleTosa } from './tosa_rescale.js';
import type { RequantRef } from './types.js';

export const tosaSingleRound: RequantRef<TosaParams> = { prepare: prepareTosa, requantize: (acc, p, policy) => rescaleTosa(acc, p, policy, false) };
