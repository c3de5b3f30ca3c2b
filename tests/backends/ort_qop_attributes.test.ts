/**
 * The attributes of the ONNX integer ops and com.microsoft quantized ops (contract/onnx_qop_attributes.ts), live on
 * onnxruntime-node 1.30: ORT refuses a model whose node carries an attribute its op's schema does not declare
 * ("Unrecognized attribute") or a declared one of another type ("Mismatched attribute type"). reference and impl refuse
 * the same requests (malformed_request naming op, attribute and why; they ignored them before), and the onnxruntime
 * adapter hands them to ORT and answers ORT's refusal with that code. Faults of the wire form alone (a qconform
 * attribute of another type, an INT flag not given as a boolean, an ONNX attribute the wire form does not take) are
 * refused by all three, ORT never asked. Each op's base request is the first computed case of its committed vector
 * file (vectors/onnxruntime-1.30-ops).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { onnxQOpOnOrt } from '../../conformance/backends/onnxruntime/onnx_qops_ort.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { ONNX_QOP_NAMES, type OnnxQOpName } from '../../contract/onnx_qops.js';
import { ONNX_QOP_ATTRIBUTES } from '../../contract/onnx_qop_attributes.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string } };
const replay = (r: WireRequest, name: string) => `${r.id} on ${name} (replay: echo '${JSON.stringify(r).slice(0, 20_000)}' | npx qconform eval --backend ${name})`;

type OnnxType = 'INT' | 'INTS' | 'STRING' | 'STRINGS' | 'FLOAT' | 'FLOATS';
/** [ONNX name, ONNX type] of a wire attribute, as ORT 1.30 declares it (measured: a TENSOR value gets "Expected: '<type>'"). */
type Declared = readonly [string, OnnxType];
const same = (t: OnnxType) => (name: string): [string, Declared] => [name, [name, t]];
const ints = (...names: string[]) => names.map(same('INT'));
const intLists = (...names: string[]) => names.map(same('INTS'));

/** Each op's ONNX op type and the wire attributes that carry its ONNX attributes (measured with onnxruntime-node 1.30.0). */
const OPS: Record<OnnxQOpName, { readonly opType: string; readonly attrs: Readonly<Record<string, Declared>> }> = {
  'matmul_integer@1': { opType: 'MatMulInteger', attrs: {} },
  'qlinear_matmul@1': { opType: 'QLinearMatMul', attrs: {} },
  'qgemm@1': { opType: 'QGemm', attrs: { trans_a: ['transA', 'INT'], trans_b: ['transB', 'INT'], alpha: ['alpha', 'FLOAT'] } },
  'conv_integer@1': { opType: 'ConvInteger', attrs: Object.fromEntries([...intLists('strides', 'pads', 'dilations'), ...ints('group')]) },
  'qlinear_add@1': { opType: 'QLinearAdd', attrs: {} },
  'qlinear_mul@1': { opType: 'QLinearMul', attrs: {} },
  'matmul_integer_to_float@1': { opType: 'MatMulIntegerToFloat', attrs: {} },
  'dynamic_quantize_matmul@1': { opType: 'DynamicQuantizeMatMul', attrs: {} },
  'qlinear_leaky_relu@1': { opType: 'QLinearLeakyRelu', attrs: { alpha: ['alpha', 'FLOAT'] } },
  'qlinear_sigmoid@1': { opType: 'QLinearSigmoid', attrs: {} },
  'qlinear_softmax@1': { opType: 'QLinearSoftmax', attrs: Object.fromEntries(ints('axis', 'opset')) },
  'qlinear_global_average_pool@1': { opType: 'QLinearGlobalAveragePool', attrs: Object.fromEntries(ints('channels_last')) },
  'qlinear_average_pool@1': { opType: 'QLinearAveragePool', attrs: Object.fromEntries([same('STRING')('auto_pad'), ...intLists('kernel_shape', 'strides', 'pads'), ...ints('ceil_mode', 'count_include_pad', 'channels_last')]) },
  'qlinear_concat@1': { opType: 'QLinearConcat', attrs: Object.fromEntries(ints('axis')) },
  'qlinear_where@1': { opType: 'QLinearWhere', attrs: {} },
  'dynamic_quantize_lstm@1': {
    opType: 'DynamicQuantizeLSTM',
    attrs: Object.fromEntries([...ints('hidden_size', 'input_forget'), same('STRING')('direction'), same('FLOAT')('clip'), same('STRINGS')('activations'), ...['activation_alpha', 'activation_beta'].map(same('FLOATS'))]),
  },
  'qlinear_conv_nhwc@1': { opType: 'QLinearConv', attrs: Object.fromEntries([...intLists('strides', 'pads', 'dilations'), ...ints('group')]) },
  'gather_block_quantized@1': { opType: 'GatherBlockQuantized', attrs: Object.fromEntries(ints('gather_axis', 'quantize_axis', 'block_size', 'bits')) },
  'matmul_nbits@1': { opType: 'MatMulNBits', attrs: Object.fromEntries(ints('K', 'N', 'bits', 'block_size', 'accuracy_level')) },
  'qattention@1': { opType: 'QAttention', attrs: Object.fromEntries(ints('num_heads', 'unidirectional')) },
  'qembed_layer_normalization@1': { opType: 'QEmbedLayerNormalization', attrs: { epsilon: ['epsilon', 'FLOAT'] } },
  'matmul_integer16@1': { opType: 'MatMulInteger16', attrs: {} },
  'nhwc_max_pool@1': { opType: 'NhwcMaxPool', attrs: Object.fromEntries([same('STRING')('auto_pad'), ...intLists('kernel_shape', 'strides', 'pads', 'dilations'), ...ints('ceil_mode')]) },
};

/** The first computed case of the op's committed vectors, as a request. */
function base(op: OnnxQOpName): WireRequest {
  const lines = readFileSync(new URL(`../../vectors/onnxruntime-1.30-ops/${op.split('@')[0]}.v1.jsonl`, import.meta.url), 'utf8').split('\n');
  const c = lines.map((l) => (l ? JSON.parse(l) : null)).find((x) => x && !x.expect?.error);
  return { id: c.id, op, attrs: c.attrs ?? {}, inputs: c.inputs };
}

const withAttr = (op: OnnxQOpName, name: string, value: unknown): WireRequest => {
  const r = base(op);
  return { ...r, id: `${op}-${name}-${JSON.stringify(value)}`, attrs: { ...r.attrs, [name]: value } };
};

/** A wire value of another ONNX type than `t` (and not the wire form of a flag or float): [value, its ONNX type]. */
const WRONG: Record<OnnxType, readonly [unknown, string]> = { INT: ['1', 'STRING'], INTS: [1.5, 'FLOAT'], STRING: [1, 'INT'], STRINGS: [1, 'INT'], FLOAT: [1, 'INT'], FLOATS: [1, 'INT'] };

/** [op, wire attribute, value, ORT's message] */
const ORT_FAULTS: ReadonlyArray<readonly [OnnxQOpName, string, unknown, string]> = [
  ...ONNX_QOP_NAMES.map((op) => [op, 'foo', 1, `Unrecognized attribute: foo for operator ${OPS[op].opType}`] as const),
  ...ONNX_QOP_NAMES.flatMap((op) =>
    Object.entries(OPS[op].attrs).map(([name, [onnxName, type]]) => {
      const [value, actual] = WRONG[type];
      return [op, name, value, `Mismatched attribute type in ' : ${onnxName}'. Expected: '${type}', actual: '${actual}'`] as const;
    }),
  ),
  // ORT 1.30's QLinearAveragePool has no dilations (qconform's decoder said ORT ignored them)
  ['qlinear_average_pool@1', 'dilations', [1, 1], 'Unrecognized attribute: dilations for operator QLinearAveragePool'],
  ['qlinear_softmax@1', 'opset', [13], "Mismatched attribute type in ' : opset'. Expected: 'INT', actual: 'INTS'"],
];

/** [op, wire attribute, value, text of the contract's refusal]: faults of the wire form, refused before ORT. */
const WIRE_FAULTS: ReadonlyArray<readonly [OnnxQOpName, string, unknown, string]> = [
  ['matmul_integer@1', 'accumulator', 1, 'accumulator is a STRING (a qconform attribute'],
  ['qattention@1', 'softmax_kernel', ['fma3'], 'softmax_kernel is a STRING (a qconform attribute'],
  ['matmul_nbits@1', 'qnbit_kernel', 1, 'qnbit_kernel is a STRING (a qconform attribute'],
  ['qgemm@1', 'trans_a', 1, "trans_a carries ONNX com.microsoft QGemm-1's transA (INT) as a boolean, got INT"],
  ['qgemm@1', 'transA', 1, 'carries as attrs.trans_a'],
  ['qgemm@1', 'alpha', 0.5, 'as a float64 hex string, got FLOAT'],
  ['qlinear_average_pool@1', 'channels_last', 1, 'as a boolean, got INT'],
  ['conv_integer@1', 'kernel_shape', [1, 1], "takes from inputs.w's spatial dims"],
  ['conv_integer@1', 'auto_pad', 'VALID', 'does not model'],
  ['qlinear_conv_nhwc@1', 'channels_last', 1, 'always sets to 1'],
  ['qattention@1', 'scale', '3ff0000000000000', 'does not model'],
  ['matmul_nbits@1', 'weight_prepacked', 0, 'does not model'],
  ['qlinear_where@1', 'foo', true, 'declares no attribute foo'],
];

const evaluate = (ops: typeof reference | typeof impl, r: WireRequest) => evaluateRequest(ops, r) as Answer;

describe('ONNX integer and com.microsoft quantized ops: attributes ORT 1.30 refuses', () => {
  it('the measured attributes are the schemas\' (each wire attribute that reaches ORT, with its ONNX name and type)', () => {
    for (const op of ONNX_QOP_NAMES) {
      const s = ONNX_QOP_ATTRIBUTES[op];
      // an ONNX attribute the wire carries under another name (qgemm@1's trans_a) is refused under its own (transA)
      const wireNames: Record<string, string> = Object.fromEntries(Object.entries(s.encoded ?? {}).map(([w, e]) => [e.onnx, w]));
      const toOrt = Object.keys(s.onnx).filter((n) => s.notOnWire?.[n] === undefined || wireNames[n] !== undefined);
      const schemaAttrs = Object.fromEntries(toOrt.map((n) => [wireNames[n] ?? n, [n, s.onnx[n]]]));
      expect(schemaAttrs, op).toEqual(OPS[op].attrs);
      expect(s.onnxOp, op).toContain(OPS[op].opType);
    }
  });

  it('an unknown or mistyped attribute: ORT refuses the model, and reference, impl and the adapter answer malformed_request naming op, attribute and why', { timeout: 120_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const [op, name, value, ortText] of ORT_FAULTS) {
      const r = withAttr(op, name, value);
      const answer = (await onnxQOpOnOrt(ort, r)) as Answer;
      expect(answer.error?.message, `${r.id}: ORT itself refuses (${JSON.stringify(answer).slice(0, 300)})`).toContain(ortText);
      expect(answer.error?.code, replay(r, 'onnxruntime')).toBe('malformed_request');
      const why = ortText.startsWith('Unrecognized') ? 'Unrecognized attribute' : 'Mismatched attribute type';
      for (const [backend, ops] of [['reference', reference], ['impl', impl]] as const) {
        const e = evaluate(ops, r).error;
        expect(e?.code, replay(r, backend)).toBe('malformed_request');
        expect(e?.message, replay(r, backend)).toContain(`${op}: attrs.${name}`);
        expect(e?.message, replay(r, backend)).toContain(why);
      }
    }
  });

  it('faults of the wire form alone are refused by the contract, the adapter and both models alike', { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const [op, name, value, text] of WIRE_FAULTS) {
      const r = withAttr(op, name, value);
      for (const [backend, answer] of [['onnxruntime', (await onnxQOpOnOrt(ort, r)) as Answer], ['reference', evaluate(reference, r)], ['impl', evaluate(impl, r)]] as const) {
        expect(answer.error?.code, replay(r, backend)).toBe('malformed_request');
        expect(answer.error?.message, replay(r, backend)).toContain(`${op}: attrs.${name}`);
        expect(answer.error?.message, replay(r, backend)).toContain(text);
        expect(answer.error?.message, `${r.id}: ORT was not asked`).not.toMatch(/Unrecognized attribute:|Mismatched attribute type in/);
      }
    }
  });

  it('without a fault (an unknown attribute null: not given) ORT, reference and impl compute the same outputs', { timeout: 120_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const op of ONNX_QOP_NAMES) {
      const r = withAttr(op, 'foo', null);
      const answer = (await onnxQOpOnOrt(ort, r)) as Answer;
      expect(answer.outputs, `${r.id}: ${JSON.stringify(answer).slice(0, 300)}`).toBeDefined();
      for (const [backend, ops] of [['reference', reference], ['impl', impl]] as const) expect(evaluate(ops, r).outputs, replay(r, backend)).toEqual(answer.outputs);
    }
  });
});
