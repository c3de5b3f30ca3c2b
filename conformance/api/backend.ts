/**
 * The package's `qconform/backend` entry: what a module backend exports (`Backend`), and `evaluateRequest`, which
 * decodes a wire request, calls your kernels behind the op interfaces of contract/, and encodes the answer.
 */
export { type Backend, BackendFault, type Capabilities } from '../backends/backend.js';
export { evaluateRequest, servedOpNames } from '../protocol/dispatch.js';
export type { QuantOps } from '../../contract/ops.js';
export type { ConvOps } from '../../contract/conv.js';
export type { RequantizeOps } from '../../contract/requantize.js';
export type { Tensor } from '../../contract/tensor.js';
export { QconformError } from '../../contract/errors.js';
