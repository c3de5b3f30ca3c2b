/**
 * Which fields of each one-object op's arguments (contract/*.ts argument types) are numbers, booleans or lists of
 * numbers, so contract/op_arguments.ts can check their JavaScript type before the op runs: a plain JavaScript caller's
 * "false" for a boolean, "0.5" for a number or "1,1" for a stride is a typed malformed_request naming the op and the
 * field, not a misleading code from a later check (qgemm's transA "false" was a shape_mismatch, a string group an
 * invalid_geometry, a string requantize multiplier a requant_precondition). String enums (scheme, accumulator,
 * direction) are left to the ops, which name the values they take.
 * The compiler holds the table to the types: every field of each kind is listed under that kind and nothing else is
 * (OP_SCALAR_FIELDS_MATCH_THE_TYPES).
 */
import type { ConvOps } from './conv.js';
import type { LinearOps } from './linear.js';
import type { OnnxQOps } from './onnx_qops.js';
import type { OnnxQuantOps } from './onnx_quant.js';
import type { RequantizeOps } from './requantize.js';

type SingleArgumentOps = OnnxQOps & Omit<OnnxQuantOps, 'dynamicQuantizeLinear'> & ConvOps & LinearOps & RequantizeOps;
type ArgsOf<K extends keyof SingleArgumentOps> = Parameters<SingleArgumentOps[K]>[0];

/** The JavaScript type a field must have. */
export type ScalarKind = 'number' | 'number|null' | 'boolean' | 'numbers' | 'numbers|null';

type KindOf<V> = [V] extends [number]
  ? 'number'
  : [V] extends [number | null]
    ? 'number|null'
    : [V] extends [boolean]
      ? 'boolean'
      : [V] extends [readonly number[]]
        ? 'numbers'
        : [V] extends [readonly number[] | null]
          ? 'numbers|null'
          : never;
/** The fields of T whose type is of kind K. */
type KeysOfKind<T, K extends ScalarKind> = { [P in keyof T]-?: [KindOf<T[P]>] extends [never] ? never : KindOf<T[P]> extends K ? P : never }[keyof T];

export type ScalarFields = Readonly<Partial<Record<ScalarKind, readonly string[]>>>;

export const OP_SCALAR_FIELDS = {
  matmulInteger: {},
  qlinearMatMul: {},
  qgemm: { boolean: ['transA', 'transB'], number: ['alpha'] },
  convInteger: { numbers: ['strides', 'pads', 'dilations'], number: ['group'] },
  qlinearAdd: {},
  qlinearMul: {},
  matmulIntegerToFloat: {},
  dynamicQuantizeMatMul: {},
  qlinearLeakyRelu: { number: ['alpha'] },
  qlinearSigmoid: {},
  qlinearSoftmax: { number: ['axis', 'opset'] },
  qlinearGlobalAveragePool: { boolean: ['channelsLast'] },
  qlinearAveragePool: { numbers: ['kernelShape', 'strides', 'pads'], boolean: ['ceilMode', 'countIncludePad', 'channelsLast'] },
  qlinearConcat: { number: ['axis'] },
  qlinearWhere: {},
  dynamicQuantizeLstm: { number: ['hiddenSize', 'inputForget'], 'number|null': ['clip'], 'numbers|null': ['activationAlpha', 'activationBeta'] },
  qlinearConvNhwc: { numbers: ['strides', 'pads', 'dilations'], number: ['group'] },
  gatherBlockQuantized: { number: ['gatherAxis', 'quantizeAxis', 'blockSize', 'bits'] },
  matmulNBits: { number: ['k', 'n', 'bits', 'blockSize', 'accuracyLevel'] },
  qattention: { number: ['numHeads', 'unidirectional'] },
  qembedLayerNormalization: { number: ['epsilon'] },
  matmulInteger16: {},
  nhwcMaxPool: { numbers: ['kernelShape', 'strides', 'pads', 'dilations'], boolean: ['ceilMode'] },
  quantizeLinear: { number: ['axis', 'blockSize', 'saturate'] },
  dequantizeLinear: { number: ['axis', 'blockSize'] },
  msQuantizeLinear: { number: ['axis'] },
  msDequantizeLinear: { number: ['axis'] },
  quantizedConv2d: { number: ['xScale', 'xZeroPoint', 'groups', 'yScale', 'yZeroPoint'], numbers: ['stride', 'padding', 'dilation'], boolean: ['relu'] },
  quantizedLinear: { number: ['xScale', 'xZeroPoint', 'yScale', 'yZeroPoint'], boolean: ['relu'] },
  quantizedLinearDynamic: { boolean: ['relu', 'reduceRange'] },
  requantize: { number: ['multiplier', 'shift', 'zeroPoint', 'outputMin', 'outputMax'] },
} as const satisfies Readonly<Record<keyof SingleArgumentOps, ScalarFields>>;

type Table = typeof OP_SCALAR_FIELDS;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Listed<E, K extends ScalarKind> = E extends Readonly<Record<K, readonly string[]>> ? E[K][number] : never;
/** The ops whose lists are not exactly their argument type's fields of each kind (never, when all are). */
type Mismatches = {
  [Op in keyof SingleArgumentOps]: { [K in ScalarKind]: Same<Listed<Table[Op], K>, KeysOfKind<ArgsOf<Op>, K>> }[ScalarKind] extends true ? never : Op;
}[keyof SingleArgumentOps];
/** A compile-time check: with a mismatch its type is the ops' names, and `true` does not compile. */
export const OP_SCALAR_FIELDS_MATCH_THE_TYPES: [Mismatches] extends [never] ? true : Mismatches = true;
