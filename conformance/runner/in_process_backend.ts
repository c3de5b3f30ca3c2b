/** A backend computed in this process by a QuantOps implementation (the reference or the fast impl). */
import { evaluateRequest } from '../dispatch.js';
import { OP_NAMES, type QuantOps } from '../../spec/ops.js';
import type { Backend } from './backend.js';

export function quantOpsBackend(name: string, version: string, ops: QuantOps): Backend {
  return {
    name,
    version,
    capabilities: { ops: OP_NAMES }, // every scheme and accumulator variant: each case's attributes select them
    info: { node: process.version },
    run: (request) => evaluateRequest(ops, request),
  };
}
