/** tosa-double-round@1: TOSA 1.0 RESCALE with rounding_mode DOUBLE_ROUND (EXT-DOUBLEROUND; apply_scale_32, double_round = true); see tosa_rescale.ts. */
import { type TosaParams, prepareTosa, rescaleTosa } from './tosa_rescale.js';
import type { RequantRef } from './types.js';

export const tosaDoubleRound: RequantRef<TosaParams> = { prepare: prepareTosa, requantize: (acc, p, policy) => rescaleTosa(acc, p, policy, true) };
