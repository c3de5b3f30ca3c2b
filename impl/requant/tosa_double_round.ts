/** tosa-double-round@1, fast twin of reference/requant/tosa_double_round.ts. */
import { type TosaParamsF, prepareTosa, rescaleTosa } from './tosa_rescale.js';
import type { RequantImpl } from './types.js';

export const requant__tosa_double_round: RequantImpl<TosaParamsF> = { prepare: prepareTosa, requantize: (acc, p, policy) => rescaleTosa(acc, p, policy, true) };
