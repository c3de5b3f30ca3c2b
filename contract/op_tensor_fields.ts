/**
 * Which fields of each op's argument object are tensors (contract/*.ts argument types): required, or optional (null
 * when absent). contract/op_arguments.ts checks them before the op runs, so a plain JavaScript caller's missing or
 * primitive tensor is a typed malformed_request naming the op and the field, not a TypeError from reading its dtype.
 * The compiler holds the table to the types: a field listed under `required` is a tensor type, one under `optional`
 * a tensor type or null, and every tensor field of the type is listed (OP_TENSOR_FIELDS_MATCH_THE_TYPES).
 */
import type { ConvOps } from './conv.js';
import type { LinearOps } from './linear.js';
import type { OnnxQOps } from './onnx_qops.js';
import type { OnnxQuantOps } from './onnx_quant.js';
import type { RequantizeOps } from './requantize.js';
import type { Tensor } from './tensor.js';

type SingleArgumentOps = OnnxQOps & Omit<OnnxQuantOps, 'dynamicQuantizeLinear'> & ConvOps & LinearOps & RequantizeOps;
type ArgsOf<K extends keyof SingleArgumentOps> = Parameters<SingleArgumentOps[K]>[0];
/** The fields of T whose type is a tensor (null not allowed). */
type RequiredTensorKeys<T> = { [P in keyof T]-?: T[P] extends Tensor ? P : never }[keyof T];
/** The fields of T whose type is a tensor or null. */
type OptionalTensorKeys<T> = { [P in keyof T]-?: null extends T[P] ? (NonNullable<T[P]> extends Tensor ? P : never) : never }[keyof T];

export interface TensorFields {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

export const OP_TENSOR_FIELDS = {
  matmulInteger: { required: ['a', 'b'], optional: ['aZeroPoint', 'bZeroPoint'] },
  qlinearMatMul: { required: ['a', 'aScale', 'aZeroPoint', 'b', 'bScale', 'bZeroPoint', 'yScale', 'yZeroPoint'], optional: [] },
  qgemm: { required: ['a', 'aScale', 'aZeroPoint', 'b', 'bScale', 'bZeroPoint'], optional: ['c', 'yScale', 'yZeroPoint'] },
  convInteger: { required: ['x', 'w'], optional: ['xZeroPoint', 'wZeroPoint'] },
  qlinearAdd: { required: ['a', 'aScale', 'aZeroPoint', 'b', 'bScale', 'bZeroPoint', 'cScale'], optional: ['cZeroPoint'] },
  qlinearMul: { required: ['a', 'aScale', 'aZeroPoint', 'b', 'bScale', 'bZeroPoint', 'cScale'], optional: ['cZeroPoint'] },
  matmulIntegerToFloat: { required: ['a', 'b', 'aScale', 'bScale'], optional: ['aZeroPoint', 'bZeroPoint', 'bias'] },
  dynamicQuantizeMatMul: { required: ['a', 'b', 'bScale'], optional: ['bZeroPoint', 'bias'] },
  qlinearLeakyRelu: { required: ['x', 'xScale', 'yScale'], optional: ['xZeroPoint', 'yZeroPoint'] },
  qlinearSigmoid: { required: ['x', 'xScale', 'yScale'], optional: ['xZeroPoint', 'yZeroPoint'] },
  qlinearSoftmax: { required: ['x', 'xScale', 'yScale', 'yZeroPoint'], optional: ['xZeroPoint'] },
  qlinearGlobalAveragePool: { required: ['x', 'xScale', 'xZeroPoint', 'yScale', 'yZeroPoint'], optional: [] },
  qlinearAveragePool: { required: ['x', 'xScale', 'xZeroPoint', 'yScale', 'yZeroPoint'], optional: [] },
  qlinearConcat: { required: ['yScale', 'yZeroPoint'], optional: [] },
  qlinearWhere: { required: ['condition', 'x', 'xScale', 'xZeroPoint', 'y', 'yScale', 'yZeroPoint', 'zScale', 'zZeroPoint'], optional: [] },
  dynamicQuantizeLstm: { required: ['x', 'w', 'r', 'wScale', 'wZeroPoint', 'rScale', 'rZeroPoint'], optional: ['b', 'sequenceLens', 'initialH', 'initialC', 'p'] },
  qlinearConvNhwc: { required: ['x', 'xScale', 'xZeroPoint', 'w', 'wScale', 'wZeroPoint', 'yScale', 'yZeroPoint'], optional: ['bias'] },
  gatherBlockQuantized: { required: ['data', 'indices', 'scales'], optional: ['zeroPoints'] },
  matmulNBits: { required: ['a', 'b', 'scales'], optional: ['zeroPoints', 'bias'] },
  qattention: { required: ['input', 'weight', 'bias', 'inputScale', 'weightScale'], optional: ['inputZeroPoint', 'weightZeroPoint', 'maskIndex', 'past'] },
  qembedLayerNormalization: { required: ['inputIds', 'wordEmbedding', 'positionEmbedding', 'gamma', 'beta', 'wordEmbeddingScale', 'positionEmbeddingScale', 'gammaScale', 'betaScale', 'wordEmbeddingZeroPoint', 'positionEmbeddingZeroPoint', 'gammaZeroPoint', 'betaZeroPoint'], optional: ['segmentIds', 'segmentEmbedding', 'mask', 'segmentEmbeddingScale', 'segmentEmbeddingZeroPoint'] },
  matmulInteger16: { required: ['a', 'b'], optional: [] },
  nhwcMaxPool: { required: ['x'], optional: [] },
  quantizeLinear: { required: ['x', 'yScale'], optional: ['yZeroPoint'] },
  dequantizeLinear: { required: ['x', 'xScale'], optional: ['xZeroPoint'] },
  msQuantizeLinear: { required: ['x', 'yScale'], optional: ['yZeroPoint'] },
  msDequantizeLinear: { required: ['x', 'xScale'], optional: ['xZeroPoint'] },
  quantizedConv2d: { required: ['x', 'weight', 'weightScales', 'weightZeroPoints'], optional: ['bias'] },
  quantizedLinear: { required: ['x', 'weight', 'weightScales', 'weightZeroPoints'], optional: ['bias'] },
  quantizedLinearDynamic: { required: ['x', 'weight', 'weightScales', 'weightZeroPoints'], optional: ['bias'] },
  requantize: { required: ['acc'], optional: [] },
} as const satisfies Readonly<Record<keyof SingleArgumentOps, TensorFields>>;

type Table = typeof OP_TENSOR_FIELDS;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The ops whose lists are not exactly their argument type's required and optional tensor fields (never, when all are). */
type Mismatches = {
  [K in keyof SingleArgumentOps]: Same<Table[K]['required'][number], RequiredTensorKeys<ArgsOf<K>>> extends true ? (Same<Table[K]['optional'][number], OptionalTensorKeys<ArgsOf<K>>> extends true ? never : K) : K;
}[keyof SingleArgumentOps];
/** A compile-time check: with a mismatch its type is the ops' names, and `true` does not compile. */
export const OP_TENSOR_FIELDS_MATCH_THE_TYPES: [Mismatches] extends [never] ? true : Mismatches = true;
