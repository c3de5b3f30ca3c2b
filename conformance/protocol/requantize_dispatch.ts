/** The wire form of requantize@1 (docs/protocol.md, "Requantize op"): decode, call the implementation, encode. */
import { REQUANTIZE_OP_NAMES, type RequantizeArgs, type RequantizeOpName, type RequantizeOps } from '../../contract/requantize.js';
import type { Attrs, Inputs, TypedOutputs } from './messages.js';

export function isRequantizeOpName(op: unknown): op is RequantizeOpName {
  return typeof op === 'string' && (REQUANTIZE_OP_NAMES as readonly string[]).includes(op);
}

/** The typed arguments of a requantize@1 request (wire-format checks only). */
export function decodeRequantize(a: Attrs, i: Inputs): RequantizeArgs {
  return {
    acc: i.int('acc'),
    scheme: a.str('scheme'),
    multiplier: a.int('multiplier'),
    shift: a.int('shift'),
    zeroPoint: a.int('zero_point'),
    outputMin: a.int('output_min'),
    outputMax: a.int('output_max'),
  };
}

export function evaluateRequantize(ops: RequantizeOps, a: Attrs, i: Inputs): TypedOutputs {
  return { y: ops.requantize(decodeRequantize(a, i)) };
}
