import { describe } from 'vitest';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../contract/ops.js';

/** Both implementations of the op contract, by name. */
export const IMPLEMENTATIONS: ReadonlyArray<readonly [name: string, ops: QuantOps]> = [
  ['reference', reference],
  ['impl', impl],
];

/**
 * One describe block per implementation, in the style of tfjs-core's describeWithFlags: the body is
 * written once against `ops` and runs against every implementation.
 */
export function describeEachImplementation(title: string, body: (ops: QuantOps, name: string) => void): void {
  for (const [name, ops] of IMPLEMENTATIONS) describe(`${title} [${name}]`, () => body(ops, name));
}
