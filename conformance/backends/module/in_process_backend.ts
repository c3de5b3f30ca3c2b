/** A backend computed in this process by a QuantOps implementation (the reference or the fast impl). */
import { CONV_OP_NAMES, type ConvOps } from '../../../contract/conv.js';
import { OP_NAMES, type QuantOps } from '../../../contract/ops.js';
import { REQUANTIZE_OP_NAMES, type RequantizeOps } from '../../../contract/requantize.js';
import { evaluateRequest } from '../../protocol/dispatch.js';
import type { Backend } from '../backend.js';

export function quantOpsBackend(name: string, version: string, ops: QuantOps & Partial<ConvOps> & Partial<RequantizeOps>): Backend {
  return {
    name,
    version,
    // every scheme and accumulator variant: each case's attributes select them
    capabilities: { ops: [...OP_NAMES, ...(ops.quantizedConv2d ? CONV_OP_NAMES : []), ...(ops.requantize ? REQUANTIZE_OP_NAMES : [])] },
    info: { node: process.version },
    run: (request) => evaluateRequest(ops, request),
  };
}
