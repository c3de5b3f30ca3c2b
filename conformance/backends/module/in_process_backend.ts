/** A backend computed in this process by a QuantOps implementation (the reference or the fast impl). */
import type { ConvOps } from '../../../contract/conv.js';
import type { QuantOps } from '../../../contract/ops.js';
import type { RequantizeOps } from '../../../contract/requantize.js';
import { evaluateRequest, servedOpNames } from '../../protocol/dispatch.js';
import type { Backend } from '../backend.js';

export function quantOpsBackend(name: string, version: string, ops: QuantOps & Partial<ConvOps> & Partial<RequantizeOps>): Backend {
  return {
    name,
    version,
    // every scheme and accumulator variant: each case's attributes select them
    capabilities: { ops: servedOpNames(ops) },
    info: { node: process.version },
    run: (request) => evaluateRequest(ops, request),
  };
}
