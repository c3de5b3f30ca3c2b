/**
 * The package's `qconform/backend` entry: what a module backend exports (`Backend`), and `evaluateRequest`, which
 * decodes a wire request, calls your kernels behind the op interfaces of contract/, and encodes the answer; the
 * tensor types and constructors those interfaces take (an IntTensor's data in an Int32Array or, byteTensor, bytes).
 */
export { type Backend, BackendFault, type Capabilities } from '../backends/backend.js';
export { evaluateRequest, servedOpNames } from '../protocol/dispatch.js';
export type { QuantOps } from '../../contract/ops.js';
export type { ConvOps } from '../../contract/conv.js';
export type { RequantizeOps } from '../../contract/requantize.js';
export { type F32Tensor, type IntData, type IntTensor, type Tensor, byteTensor, f32Tensor, intTensor } from '../../contract/tensor.js';
export { QconformError } from '../../contract/errors.js';
