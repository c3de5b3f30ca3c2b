/**
 * A plain JavaScript caller of the library API ignores the TypeScript types: "false" for a boolean, a string for a
 * number, null or undefined for an argument or a tensor, a scalar for a list. Each such call is a typed
 * malformed_request on the reference, impl and impl's JavaScript path; before these checks some were silent wrong
 * answers ("false" read as true by reduce_range, relu, ceil_mode, count_include_pad and channels_last; undefined eps
 * giving scale NaN; a scalar activation_alpha giving other outputs) and the rest TypeErrors.
 * The valid arguments come from committed vector cases, through the wire decoder (conformance/protocol/dispatch.ts);
 * each mutation is checked against its unmutated call, which must succeed (so no row passes by failing for another
 * reason).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QconformError } from '../../contract/errors.js';
import { OP_SCALAR_FIELDS, type ScalarKind } from '../../contract/op_scalar_fields.js';
import { OP_TENSOR_FIELDS } from '../../contract/op_tensor_fields.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl, implOnConvPath } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

type Ops = typeof reference;
type Args = unknown[];

const ROOT = join(__dirname, '../..');

/** The arguments the wire decoder passes to `method` for the first successful case of a vector file. */
function capturedArgs(file: string, method: keyof Ops, caseIndex = 0): Args {
  const lines = readFileSync(join(ROOT, 'vectors', file), 'utf8').split('\n').filter((l) => l.includes('"outputs"'));
  const c = JSON.parse(lines[caseIndex]!) as Record<string, unknown>;
  let captured: Args | null = null;
  const spy = new Proxy(reference, {
    get(target, key) {
      const f = (target as unknown as Record<string | symbol, unknown>)[key];
      if (key !== method || typeof f !== 'function') return f;
      return (...args: Args) => {
        captured = structuredClone(args);
        return (f as (...a: Args) => unknown)(...args);
      };
    },
  });
  const response = evaluateRequest(spy, { id: c.id, op: c.op, attrs: c.attrs, inputs: c.inputs });
  expect(response).not.toHaveProperty('error');
  expect(captured).not.toBeNull();
  return captured!;
}

interface Mutation {
  readonly name: string;
  readonly file: string;
  readonly method: keyof Ops;
  /** the argument's index and, for an attrs object, the field (undefined: the whole argument) */
  readonly arg: number;
  readonly field?: string;
  readonly value: unknown;
  /** a fragment of the message: the field's name */
  readonly mentions: string;
  /** the vector case to start from (default the first) */
  readonly caseIndex?: number;
  /** the typed error's code, where the rule has its own (default malformed_request) */
  readonly code?: string;
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'reduce_range "false" (calculate_qmin_qmax)', file: 'torch-1.13/calculate_qmin_qmax.v1.jsonl', method: 'calculateQminQmax', arg: 0, field: 'reduceRange', value: 'false', mentions: 'reduce_range' },
  { name: 'reduce_range 0 (min_max_observer)', file: 'torch-1.13/min_max_observer.v1.jsonl', method: 'minMaxObserver', arg: 1, field: 'reduceRange', value: 0, mentions: 'reduce_range' },
  { name: 'eps undefined (min_max_observer)', file: 'torch-1.13/min_max_observer.v1.jsonl', method: 'minMaxObserver', arg: 1, field: 'eps', value: undefined, mentions: 'eps' },
  { name: 'eps "0.001" (calculate_qparams)', file: 'torch-1.13/calculate_qparams.v1.jsonl', method: 'calculateQparams', arg: 2, field: 'eps', value: '0.001', mentions: 'eps' },
  { name: 'semantics "2" (min_max_observer)', file: 'torch-1.13/min_max_observer.v1.jsonl', method: 'minMaxObserver', arg: 1, field: 'semantics', value: '2', mentions: 'semantics' },
  { name: 'averaging_constant "0.5"', file: 'torch-1.13/moving_average_min_max_observer.v1.jsonl', method: 'movingAverageMinMaxObserver', arg: 1, field: 'averagingConstant', value: '0.5', mentions: 'averaging_constant' },
  { name: 'averaging_constant undefined (per channel)', file: 'torch-1.13/moving_average_per_channel_min_max_observer.v1.jsonl', method: 'movingAveragePerChannelMinMaxObserver', arg: 1, field: 'averagingConstant', value: undefined, mentions: 'averaging_constant' },
  { name: 'batches a string', file: 'torch-1.13/min_max_observer.v1.jsonl', method: 'minMaxObserver', arg: 0, value: 'batches', mentions: 'argument 1' },
  { name: 'batches an object (per channel)', file: 'torch-1.13/per_channel_min_max_observer.v1.jsonl', method: 'perChannelMinMaxObserver', arg: 0, value: { length: 1 }, mentions: 'batches' },
  { name: 'histogram_observer@1 without upsample_rate', file: 'torch-1.13/histogram_observer.v1.jsonl', method: 'histogramObserver', arg: 1, field: 'upsampleRate', value: undefined, mentions: 'upsample_rate', code: 'histogram_config_invalid' },
  { name: 'fixed_qparams_observer qscheme 7', file: 'torch-1.13/fixed_qparams_observer.v1.jsonl', method: 'fixedQparamsObserver', arg: 1, field: 'qscheme', value: 7, mentions: 'qscheme', code: 'invalid_qscheme' },
  { name: 'quantized_conv2d relu "false"', file: 'torch-1.13/quantized_conv2d.v1.jsonl', method: 'quantizedConv2d', arg: 0, field: 'relu', value: 'false', mentions: 'relu' },
  { name: 'quantized_conv2d x null', file: 'torch-1.13/quantized_conv2d.v1.jsonl', method: 'quantizedConv2d', arg: 0, field: 'x', value: null, mentions: 'x' },
  { name: 'quantized_conv2d bias undefined', file: 'torch-1.13/quantized_conv2d.v1.jsonl', method: 'quantizedConv2d', arg: 0, field: 'bias', value: undefined, mentions: 'bias' },
  { name: 'quantized_conv2d options null', file: 'torch-1.13/quantized_conv2d.v1.jsonl', method: 'quantizedConv2d', arg: 1, value: null, mentions: 'argument 2' },
  { name: 'quantized_linear relu "false"', file: 'torch-1.13-linear/quantized_linear.v1.jsonl', method: 'quantizedLinear', arg: 0, field: 'relu', value: 'false', mentions: 'relu' },
  { name: 'quantized_linear_dynamic reduce_range "false"', file: 'torch-1.13-linear/quantized_linear_dynamic.v1.jsonl', method: 'quantizedLinearDynamic', arg: 0, field: 'reduceRange', value: 'false', mentions: 'quantizedLinearDynamic: reduceRange' },
  { name: 'quantized_linear_dynamic relu 1', file: 'torch-1.13-linear/quantized_linear_dynamic.v1.jsonl', method: 'quantizedLinearDynamic', arg: 0, field: 'relu', value: 1, mentions: 'relu' },
  { name: 'nhwc_max_pool ceil_mode "false"', file: 'onnxruntime-1.30-ops/nhwc_max_pool.v1.jsonl', method: 'nhwcMaxPool', arg: 0, field: 'ceilMode', value: 'false', mentions: 'nhwcMaxPool: ceilMode' },
  { name: 'nhwc_max_pool kernel_shape null', file: 'onnxruntime-1.30-ops/nhwc_max_pool.v1.jsonl', method: 'nhwcMaxPool', arg: 0, field: 'kernelShape', value: null, mentions: 'nhwcMaxPool: kernelShape' },
  { name: 'qlinear_average_pool count_include_pad "false"', file: 'onnxruntime-1.30-ops/qlinear_average_pool.v1.jsonl', method: 'qlinearAveragePool', arg: 0, field: 'countIncludePad', value: 'false', mentions: 'qlinearAveragePool: countIncludePad' },
  { name: 'qlinear_average_pool ceil_mode null', file: 'onnxruntime-1.30-ops/qlinear_average_pool.v1.jsonl', method: 'qlinearAveragePool', arg: 0, field: 'ceilMode', value: null, mentions: 'qlinearAveragePool: ceilMode' },
  { name: 'qlinear_average_pool channels_last "false"', file: 'onnxruntime-1.30-ops/qlinear_average_pool.v1.jsonl', method: 'qlinearAveragePool', arg: 0, field: 'channelsLast', value: 'false', mentions: 'qlinearAveragePool: channelsLast' },
  { name: 'qlinear_global_average_pool channels_last 0', file: 'onnxruntime-1.30-ops/qlinear_global_average_pool.v1.jsonl', method: 'qlinearGlobalAveragePool', arg: 0, field: 'channelsLast', value: 0, mentions: 'qlinearGlobalAveragePool: channelsLast' },
  { name: 'matmul_integer b_zero_point undefined', file: 'onnxruntime-1.30-ops/matmul_integer.v1.jsonl', method: 'matmulInteger', arg: 0, field: 'bZeroPoint', value: undefined, mentions: 'bZeroPoint' },
  { name: 'matmul_integer a_zero_point false', file: 'onnxruntime-1.30-ops/matmul_integer.v1.jsonl', method: 'matmulInteger', arg: 0, field: 'aZeroPoint', value: false, mentions: 'aZeroPoint' },
  { name: 'quantize_linear y_zero_point false', file: 'onnxruntime-1.30-qdq/quantize_linear.v1.jsonl', method: 'quantizeLinear', arg: 0, field: 'yZeroPoint', value: false, mentions: 'yZeroPoint' },
  { name: 'dynamic_quantize_lstm clip "1"', file: 'onnxruntime-1.30-ops/dynamic_quantize_lstm.v1.jsonl', method: 'dynamicQuantizeLstm', arg: 0, field: 'clip', value: '1', mentions: 'clip' },
  { name: 'dynamic_quantize_lstm activation_alpha a scalar', file: 'onnxruntime-1.30-ops/dynamic_quantize_lstm.v1.jsonl', method: 'dynamicQuantizeLstm', arg: 0, field: 'activationAlpha', value: 0.5, mentions: 'dynamicQuantizeLstm: activationAlpha' },
  { name: 'qlinear_matmul a_scale null', file: 'onnxruntime-1.30-ops/qlinear_matmul.v1.jsonl', method: 'qlinearMatMul', arg: 0, field: 'aScale', value: null, mentions: 'qlinearMatMul: aScale' },
  { name: 'qlinear_add a undefined', file: 'onnxruntime-1.30-ops/qlinear_add.v1.jsonl', method: 'qlinearAdd', arg: 0, field: 'a', value: undefined, mentions: 'qlinearAdd: a' },
  { name: 'qlinear_average_pool x_scale a number', file: 'onnxruntime-1.30-ops/qlinear_average_pool.v1.jsonl', method: 'qlinearAveragePool', arg: 0, field: 'xScale', value: 0.5, mentions: 'qlinearAveragePool: xScale' },
  { name: 'qlinear_concat inputs an object', file: 'onnxruntime-1.30-ops/qlinear_concat.v1.jsonl', method: 'qlinearConcat', arg: 0, field: 'inputs', value: { length: 1 }, mentions: 'inputs' },
  { name: 'qembed_layer_normalization epsilon "0.5"', file: 'onnxruntime-1.30-ops/qembed_layer_normalization.v1.jsonl', method: 'qembedLayerNormalization', arg: 0, field: 'epsilon', value: '0.5', mentions: 'epsilon' },
];

const ORT_OPS = 'onnxruntime-1.30-ops';
/** A committed vector file of each op that takes one argument object (contract/op_tensor_fields.ts). */
const VECTOR_FILE_OF: Readonly<Record<keyof typeof OP_TENSOR_FIELDS, string>> = {
  matmulInteger: `${ORT_OPS}/matmul_integer.v1.jsonl`,
  qlinearMatMul: `${ORT_OPS}/qlinear_matmul.v1.jsonl`,
  qgemm: `${ORT_OPS}/qgemm.v1.jsonl`,
  convInteger: `${ORT_OPS}/conv_integer.v1.jsonl`,
  qlinearAdd: `${ORT_OPS}/qlinear_add.v1.jsonl`,
  qlinearMul: `${ORT_OPS}/qlinear_mul.v1.jsonl`,
  matmulIntegerToFloat: `${ORT_OPS}/matmul_integer_to_float.v1.jsonl`,
  dynamicQuantizeMatMul: `${ORT_OPS}/dynamic_quantize_matmul.v1.jsonl`,
  qlinearLeakyRelu: `${ORT_OPS}/qlinear_leaky_relu.v1.jsonl`,
  qlinearSigmoid: `${ORT_OPS}/qlinear_sigmoid.v1.jsonl`,
  qlinearSoftmax: `${ORT_OPS}/qlinear_softmax.v1.jsonl`,
  qlinearGlobalAveragePool: `${ORT_OPS}/qlinear_global_average_pool.v1.jsonl`,
  qlinearAveragePool: `${ORT_OPS}/qlinear_average_pool.v1.jsonl`,
  qlinearConcat: `${ORT_OPS}/qlinear_concat.v1.jsonl`,
  qlinearWhere: `${ORT_OPS}/qlinear_where.v1.jsonl`,
  dynamicQuantizeLstm: `${ORT_OPS}/dynamic_quantize_lstm.v1.jsonl`,
  qlinearConvNhwc: `${ORT_OPS}/qlinear_conv_nhwc.v1.jsonl`,
  gatherBlockQuantized: `${ORT_OPS}/gather_block_quantized.v1.jsonl`,
  matmulNBits: `${ORT_OPS}/matmul_nbits.v1.jsonl`,
  qattention: `${ORT_OPS}/qattention.v1.jsonl`,
  qembedLayerNormalization: `${ORT_OPS}/qembed_layer_normalization.v1.jsonl`,
  matmulInteger16: `${ORT_OPS}/matmul_integer16.v1.jsonl`,
  nhwcMaxPool: `${ORT_OPS}/nhwc_max_pool.v1.jsonl`,
  quantizeLinear: 'onnxruntime-1.30-qdq/quantize_linear.v1.jsonl',
  dequantizeLinear: 'onnxruntime-1.30-qdq/dequantize_linear.v1.jsonl',
  msQuantizeLinear: `${ORT_OPS}/ms_quantize_linear.v1.jsonl`,
  msDequantizeLinear: `${ORT_OPS}/ms_dequantize_linear.v1.jsonl`,
  quantizedConv2d: 'torch-1.13/quantized_conv2d.v1.jsonl',
  quantizedLinear: 'torch-1.13-linear/quantized_linear.v1.jsonl',
  quantizedLinearDynamic: 'torch-1.13-linear/quantized_linear_dynamic.v1.jsonl',
  requantize: 'gemmlowp/requantize.v1.jsonl',
};

const mutated = (args: Args, m: Mutation): Args =>
  args.map((v, i) => (i !== m.arg ? v : m.field === undefined ? m.value : { ...(v as object), [m.field]: m.value })).concat(m.arg >= args.length ? [m.value] : []);

const BACKENDS: readonly [string, Ops][] = [
  ['reference', reference],
  ['impl', impl],
  ['impl, JavaScript path', implOnConvPath('js')],
];

describe.each(BACKENDS)('%s refuses a plain JavaScript caller\'s mistyped arguments', (_name, ops) => {
  it.each(MUTATIONS)('$name: a typed error', (m) => {
    const args = capturedArgs(m.file, m.method, m.caseIndex);
    const call = (a: Args) => (ops[m.method] as (...x: Args) => unknown)(...a);
    expect(() => call(args)).not.toThrow(); // the unmutated call is valid: the refusal below is the mutation's
    let error: unknown = null;
    try {
      call(mutated(args, m));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QconformError);
    expect((error as QconformError).code).toBe(m.code ?? 'malformed_request');
    expect((error as QconformError).message).toContain(m.mentions);
  });

  it('every tensor field of every op that takes one argument object: undefined, null, a number or a string is malformed_request', () => {
    let checked = 0;
    for (const name of Object.keys(OP_TENSOR_FIELDS) as (keyof typeof OP_TENSOR_FIELDS)[]) {
      const file = VECTOR_FILE_OF[name];
      const [valid] = capturedArgs(file, name) as [Record<string, unknown>];
      const { required, optional } = OP_TENSOR_FIELDS[name] as { required: readonly string[]; optional: readonly string[] };
      for (const field of [...required, ...optional]) {
        for (const value of [undefined, null, 7, 'x']) {
          if (value === null && optional.includes(field)) continue; // null is "absent"
          let error: unknown = null;
          try {
            (ops[name] as (a: unknown) => unknown)({ ...valid, [field]: value });
          } catch (e) {
            error = e;
          }
          expect(error, `${name}.${field} = ${String(value)}`).toBeInstanceOf(QconformError);
          expect((error as QconformError).code, `${name}.${field}`).toBe('malformed_request');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('every number, boolean and number-list field of every op that takes one argument object: a value of another type is malformed_request', () => {
    const WRONG: Readonly<Record<ScalarKind, readonly unknown[]>> = {
      number: ['1', undefined, null, true, [1]],
      'number|null': ['1', undefined, [1]],
      boolean: ['false', 0, undefined, null],
      numbers: ['1,1', 7, undefined, null, [1, '1']],
      'numbers|null': ['1', 7, undefined, ['1']],
    };
    let checked = 0;
    for (const name of Object.keys(OP_SCALAR_FIELDS) as (keyof typeof OP_SCALAR_FIELDS)[]) {
      const [valid] = capturedArgs(VECTOR_FILE_OF[name], name) as [Record<string, unknown>];
      for (const [kind, fields] of Object.entries(OP_SCALAR_FIELDS[name]) as Array<[ScalarKind, readonly string[]]>) {
        for (const field of fields) {
          expect(field in valid, `${name}.${field} is in the valid call`).toBe(true);
          for (const value of WRONG[kind]) {
            let error: unknown = null;
            try {
              (ops[name] as (a: unknown) => unknown)({ ...valid, [field]: value });
            } catch (e) {
              error = e;
            }
            expect(error, `${name}.${field} = ${JSON.stringify(value)}`).toBeInstanceOf(QconformError);
            expect((error as QconformError).code, `${name}.${field} = ${JSON.stringify(value)}`).toBe('malformed_request');
            expect((error as QconformError).message).toContain(`${name}: ${field}`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(250);
  });

  it('every op refuses null and missing arguments with malformed_request', () => {
    const names = Object.keys(ops) as (keyof Ops)[];
    expect(names.length).toBeGreaterThanOrEqual(55);
    for (const name of names) {
      const f = ops[name] as (...x: Args) => unknown;
      for (const args of [[], [null], [undefined]]) {
        let error: unknown = null;
        try {
          f(...args);
        } catch (e) {
          error = e;
        }
        expect(error, `${String(name)}(${args.map(String).join(', ')})`).toBeInstanceOf(QconformError);
        expect((error as QconformError).code, String(name)).toBe('malformed_request');
      }
    }
  });
});
