import { describe } from 'vitest';
import { implOnConvPath } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../contract/ops.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import type { WasmKernelCounts } from '../../impl/conv/wasm_conv.js';
import { convInBytes } from './conv_draw.js';

/** How many convs impl's WebAssembly path computed in this test file, in all and per kernel (non-vacuity: the wasm path really ran). */
export const WASM_CONVS = { wasm: 0, kernels: {} as WasmKernelCounts };

const implOnWasm = implOnConvPath('wasm', WASM_CONVS);

/**
 * impl on WebAssembly with one-byte tensors: each conv's x and weight stored in a Uint8Array or Int8Array
 * (contract/tensor.ts IntData), as ONNX Runtime holds them; its outputs come back in bytes. For the conv vector files.
 */
export const IMPL_ON_BYTES: readonly [name: string, ops: QuantOps] = ['impl-bytes', { ...implOnWasm, quantizedConv2d: onBytes } as QuantOps];

/** How many convs IMPL_ON_BYTES ran with x in bytes and gave outputs in bytes (non-vacuity). */
export const BYTE_CONVS = { run: 0 };

function onBytes(a: Conv2dArgs) {
  const y = implOnWasm.quantizedConv2d(convInBytes(a));
  if (!(y.data instanceof Int32Array)) BYTE_CONVS.run++;
  return y;
}

/**
 * Both implementations of the op contract, by name; impl twice, its conv on each path (impl/conv/conv2d.ts):
 * `impl` on WebAssembly (where it covers the conv) and `impl-js` on JavaScript (QCONFORM_IMPL=js).
 */
export const IMPLEMENTATIONS: ReadonlyArray<readonly [name: string, ops: QuantOps]> = [
  ['reference', reference],
  ['impl', implOnWasm],
  ['impl-js', implOnConvPath('js')],
];

/** The backend name and environment that replay an implementation of IMPLEMENTATIONS (or IMPL_ON_BYTES) on the command line. */
export function replayBackend(name: string): string {
  // the CLI decodes tensors into Int32Arrays: it replays the same values, IMPL_ON_BYTES stores them in bytes
  if (name === 'impl-bytes') return 'QCONFORM_IMPL=wasm npx qconform eval --backend impl (on Int32Array tensors; impl-bytes is IMPL_ON_BYTES, tests/support/implementations.ts)';
  return name === 'impl-js' ? 'QCONFORM_IMPL=js npx qconform eval --backend impl' : name === 'impl' ? 'QCONFORM_IMPL=wasm npx qconform eval --backend impl' : `npx qconform eval --backend ${name}`;
}

/**
 * One describe block per implementation, in the style of tfjs-core's describeWithFlags: the body is
 * written once against `ops` and runs against every implementation.
 */
export function describeEachImplementation(title: string, body: (ops: QuantOps, name: string) => void): void {
  for (const [name, ops] of IMPLEMENTATIONS) describe(`${title} [${name}]`, () => body(ops, name));
}
