/** tosa-single-round@1, fast twin of reference/requant/tosa_single_round.ts. */
import { type TosaParamsF, prepareTosa, rescaleTosa } from './tosa_rescale.js';
import type { RequantImpl } from './types.js';

export const requant__tosa_single_round: RequantImpl<TosaParamsF> = { prepare: prepareTosa, requantize: (acc, p, policy) => rescaleTosa(acc, p, policy, false) };
