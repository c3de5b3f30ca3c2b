import { describe } from 'vitest';
import { implOnConvPath } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../contract/ops.js';
import type { WasmKernelCounts } from '../../impl/conv/wasm_conv.js';

/** How many convs impl's WebAssembly path computed in this test file, in all and per kernel (non-vacuity: the wasm path really ran). */
export const WASM_CONVS = { wasm: 0, kernels: {} as WasmKernelCounts };

/**
 * Both implementations of the op contract, by name; impl twice, its conv on each path (impl/conv/conv2d.ts):
 * `impl` on WebAssembly (where it covers the conv) and `impl-js` on JavaScript (QCONFORM_IMPL=js).
 */
export const IMPLEMENTATIONS: ReadonlyArray<readonly [name: string, ops: QuantOps]> = [
  ['reference', reference],
  ['impl', implOnConvPath('wasm', WASM_CONVS)],
  ['impl-js', implOnConvPath('js')],
];

/** The backend name and environment that replay an implementation of IMPLEMENTATIONS on the command line. */
export function replayBackend(name: string): string {
  return name === 'impl-js' ? 'QCONFORM_IMPL=js npx qconform eval --backend impl' : name === 'impl' ? 'QCONFORM_IMPL=wasm npx qconform eval --backend impl' : `npx qconform eval --backend ${name}`;
}

/**
 * One describe block per implementation, in the style of tfjs-core's describeWithFlags: the body is
 * written once against `ops` and runs against every implementation.
 */
export function describeEachImplementation(title: string, body: (ops: QuantOps, name: string) => void): void {
  for (const [name, ops] of IMPLEMENTATIONS) describe(`${title} [${name}]`, () => body(ops, name));
}
