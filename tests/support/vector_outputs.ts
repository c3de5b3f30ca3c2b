import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { VectorCase } from '../../conformance/vectors/vector_set.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';

/** A golden case's expected integer output y. */
export function expectedY(c: VectorCase): number[] {
  return [...(decodeTensor((c.expect as { outputs: Record<string, unknown> }).outputs.y, 'y') as IntTensor).data];
}

/** impl's output y for the case with some of its wire attributes replaced (cpu_capability, memory_format, dim, ...), as `op` (the case's own by default). */
export function implYWith(c: VectorCase, change: Readonly<Record<string, string | number | boolean>>, op: string = c.op): number[] {
  const r = evaluateRequest(impl, { id: c.id, op, attrs: { ...c.attrs, ...change }, inputs: c.inputs });
  if (!('outputs' in r)) throw new Error(`${c.id}: ${JSON.stringify(r)}`);
  return [...(decodeTensor(r.outputs.y, 'y') as IntTensor).data];
}

export const differs = (x: readonly number[], y: readonly number[]): boolean => x.some((v, i) => v !== y[i]);
