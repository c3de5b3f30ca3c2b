/**
 * The attributes of the ONNX quantization ops (contract/onnx_attributes.ts, contract/onnx_quant_attributes.ts), live on
 * onnxruntime-node 1.30: ORT refuses a model whose QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear node carries
 * an attribute its schema does not declare ("Unrecognized attribute"), one only a later opset declares (precision,
 * DequantizeLinear's output_dtype: opset 23), or a declared one of another type ("Mismatched attribute type": axis as a
 * FLOAT, STRING or INTS, saturate as a TENSOR). reference and impl refuse the same requests (malformed_request, naming
 * the op, the attribute and why; they ignored them before), and the onnxruntime adapter hands them to ORT and answers
 * ORT's refusal with that code. Without the fault, all three compute ORT's outputs.
 */
import { describe, expect, it } from 'vitest';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { oneNodeModel, type OnnxAttr } from '../../conformance/backends/onnxruntime/one_node_model.js';
import { ortQdq } from '../../conformance/backends/onnxruntime/qdq.js';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string } };
const replay = evalReplay;
const x6 = wireF32([2, 3], [0.1, 1.5, -2.5, 300, -300, 5]);

/** A valid request of each op, and what its attrs become with the fault added. */
const BASE: Record<string, { op: string; attrs: Record<string, unknown>; inputs: Record<string, unknown> }> = {
  q: { op: 'quantize_linear@1', attrs: { dtype: 'int8', axis: 1 }, inputs: { x: x6, y_scale: wireF32([3], [0.5, 1, 2]), y_zero_point: wireInt('int8', [3], [1, 0, -1]) } },
  dq: { op: 'dequantize_linear@1', attrs: { axis: 0 }, inputs: { x: wireInt('int16', [2, 3], [1, -2, 3, 300, -300, 7]), x_scale: wireF32([2], [0.5, 0.25]) } },
  dyn: { op: 'dynamic_quantize_linear@1', attrs: {}, inputs: { x: x6 } },
  msq: { op: 'ms_quantize_linear@1', attrs: {}, inputs: { x: x6, y_scale: wireF32([], [0.5]) } },
  msdq: { op: 'ms_dequantize_linear@1', attrs: {}, inputs: { x: wireInt('uint8', [3], [0, 128, 255]), x_scale: wireF32([], [0.5]), x_zero_point: wireInt('uint8', [], [128]) } },
};
const ONNX_OP: Record<string, string> = { q: 'QuantizeLinear', dq: 'DequantizeLinear', dyn: 'DynamicQuantizeLinear', msq: 'QuantizeLinear', msdq: 'DequantizeLinear' };

const tensorAttr = { dtype: 'int64', shape: [], values: [1] };
/** [base, attribute, wire value, ORT's message] */
const FAULTS: ReadonlyArray<readonly [string, string, unknown, string]> = [
  ...Object.keys(BASE).flatMap((b) => [
    [b, 'foo', 1, `Unrecognized attribute: foo for operator ${ONNX_OP[b]}`] as const,
    [b, 'foo', 'bar', `Unrecognized attribute: foo for operator ${ONNX_OP[b]}`] as const,
  ]),
  // names every JavaScript object inherits: undeclared, as any other name (the schema tables are read by own names)
  ['q', 'constructor', 1, 'Unrecognized attribute: constructor for operator QuantizeLinear'],
  ['dq', 'toString', 'x', 'Unrecognized attribute: toString for operator DequantizeLinear'],
  ['dyn', 'hasOwnProperty', 1, 'Unrecognized attribute: hasOwnProperty for operator DynamicQuantizeLinear'],
  ['q', 'precision', 1, 'Unrecognized attribute: precision for operator QuantizeLinear'],
  ['dq', 'output_dtype', 1, 'Unrecognized attribute: output_dtype for operator DequantizeLinear'],
  ['dq', 'saturate', 1, 'Unrecognized attribute: saturate for operator DequantizeLinear'],
  ['dyn', 'axis', 1, 'Unrecognized attribute: axis for operator DynamicQuantizeLinear'],
  ['msq', 'block_size', 0, 'Unrecognized attribute: block_size for operator QuantizeLinear'],
  ['q', 'axis', 1.5, "Mismatched attribute type in ' : axis'. Expected: 'INT', actual: 'FLOAT'"],
  ['q', 'axis', '1', "Mismatched attribute type in ' : axis'. Expected: 'INT', actual: 'STRING'"],
  ['q', 'axis', [1], "Mismatched attribute type in ' : axis'. Expected: 'INT', actual: 'INTS'"],
  ['q', 'saturate', tensorAttr, "Mismatched attribute type in ' : saturate'. Expected: 'INT', actual: 'TENSOR'"],
  ['q', 'block_size', 0.5, "Mismatched attribute type in ' : block_size'. Expected: 'INT', actual: 'FLOAT'"],
  ['dq', 'axis', tensorAttr, "Mismatched attribute type in ' : axis'. Expected: 'INT', actual: 'TENSOR'"],
  ['dq', 'block_size', '0', "Mismatched attribute type in ' : block_size'. Expected: 'INT', actual: 'STRING'"],
  ['msdq', 'axis', 0.5, "Mismatched attribute type in ' : axis'. Expected: 'INT', actual: 'FLOAT'"],
];

const request = (id: string, b: string, extra: Record<string, unknown> = {}) => ({ id, op: BASE[b]!.op, attrs: { ...BASE[b]!.attrs, ...extra }, inputs: BASE[b]!.inputs }) as WireRequest;

describe('ONNX quantization ops: attributes ORT 1.30 refuses', () => {
  it('an unknown, later-opset or mistyped attribute: ORT refuses the model, and reference, impl and the adapter answer malformed_request naming op, attribute and why', { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const [b, name, value, ortText] of FAULTS) {
      const r = request(`${b}-${name}-${JSON.stringify(value)}`, b, { [name]: value });
      const answer = (await ortQdq(ort, r)) as Answer;
      expect(answer.error?.message, `${r.id}: ORT itself refuses (${JSON.stringify(answer).slice(0, 300)})`).toContain(ortText);
      expect(answer.error?.code, replay(r, 'onnxruntime')).toBe('malformed_request');
      const why = ortText.startsWith('Unrecognized') ? 'Unrecognized attribute' : 'Mismatched attribute type';
      for (const [backend, ops] of [['reference', reference], ['impl', impl]] as const) {
        const e = (evaluateRequest(ops, r) as Answer).error;
        expect(e?.code, replay(r, backend)).toBe('malformed_request');
        expect(e?.message, replay(r, backend)).toContain(`${r.op}: attrs.${name}`);
        expect(e?.message, replay(r, backend)).toContain(why);
      }
    }
  });

  it('an unknown attribute on an empty blocked QuantizeLinear (a shape whose kernel kills ORT\'s process): ORT refuses the model before any kernel runs, so the backend runs it and answers ORT\'s malformed_request, not the contract\'s empty_output marked not run', { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    const empty = { x: wireF32([2, 0], []), y_scale: wireF32([2, 0], []) };
    const r = { id: 'q-empty-blocked-foo', op: 'quantize_linear@1', attrs: { dtype: 'int8', axis: 1, block_size: 1, foo: 1 }, inputs: empty } as WireRequest;
    const answer = (await ORT_OPS['quantize_linear@1']!(ort, r)) as Answer & { not_run?: string };
    expect(answer.not_run, replay(r, 'onnxruntime')).toBeUndefined();
    expect(answer.error?.message, replay(r, 'onnxruntime')).toContain('Unrecognized attribute: foo for operator QuantizeLinear');
    expect(answer.error?.code, replay(r, 'onnxruntime')).toBe('malformed_request');
    for (const ops of [reference, impl]) expect((evaluateRequest(ops, r) as Answer).error?.code, replay(r, 'reference / impl')).toBe('malformed_request');
    // without the attribute the same request is kept from ORT (it dies of it), answered with the contract's refusal
    const { foo: _, ...attrs } = r.attrs as Record<string, unknown>;
    const crashing = (await ORT_OPS['quantize_linear@1']!(ort, { ...r, id: 'q-empty-blocked', attrs })) as Answer & { not_run?: string };
    expect(crashing.not_run).toContain('not run on ORT');
    expect(crashing.error?.code).toBe('empty_output');
  });

  it('a later opset declares precision and DequantizeLinear output_dtype: ORT 1.30 takes them at opset 23, refuses them at 21 (the ops\' version)', { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    const verdict = async (opType: string, opset: number, attr: OnnxAttr) => {
      const quantize = opType === 'QuantizeLinear';
      const bytes = oneNodeModel({
        opType,
        domain: '',
        opset,
        inputs: quantize ? [['x', { elem: 'float32', dims: [3], values: [1, 2, 3] }], ['s', { elem: 'float32', dims: [], values: [1] }]] : [['x', { elem: 'uint8', dims: [3], values: [1, 2, 3] }], ['s', { elem: 'float32', dims: [], values: [1] }]],
        graphInputs: [],
        output: { name: 'y', elem: quantize ? 'uint8' : 'float32' },
        attributes: [attr],
      });
      try {
        await (await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', logSeverityLevel: 4 })).release();
        return 'accepted';
      } catch (e) {
        return (e as Error).message.includes('Unrecognized attribute') ? 'unrecognized' : (e as Error).message;
      }
    };
    for (const [opType, attr] of [['QuantizeLinear', { name: 'precision', int: 1 }], ['DequantizeLinear', { name: 'output_dtype', int: 1 }]] as const) {
      expect(await verdict(opType, 21, attr), `${opType} ${attr.name} at opset 21`).toBe('unrecognized');
      expect(await verdict(opType, 23, attr), `${opType} ${attr.name} at opset 23`).toBe('accepted');
    }
  });

  it('without the fault (or with the attribute null: not given) the three compute the same outputs', { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const b of Object.keys(BASE)) {
      for (const r of [request(`${b}-plain`, b), request(`${b}-null`, b, { foo: null })]) {
        const answer = (await ortQdq(ort, r)) as Answer;
        expect(answer.outputs, `${r.id}: ${JSON.stringify(answer)}`).toBeDefined();
        for (const [backend, ops] of [['reference', reference], ['impl', impl]] as const) expect((evaluateRequest(ops, r) as Answer).outputs, replay(r, backend)).toEqual(answer.outputs);
      }
    }
  });

  it('faults of the wire form alone (output_dtype for dtype, a dtype that is not a string, a boolean) are refused by the contract, ORT never asked', { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const [b, name, value, text] of [
      ['q', 'output_dtype', 3, 'the wire form carries as attrs.dtype'],
      ['q', 'dtype', 3, 'dtype is a STRING'],
      ['q', 'foo', true, 'declares no attribute foo'],
      ['q', 'axis', true, 'declares axis as INT, got a value of no ONNX attribute type, which no ONNX model can carry'],
    ] as const) {
      const r = request(`${b}-${name}-${JSON.stringify(value)}`, b, { [name]: value });
      for (const [backend, answer] of [['onnxruntime', await ortQdq(ort, r)], ['reference', evaluateRequest(reference, r)], ['impl', evaluateRequest(impl, r)]] as const) {
        expect((answer as Answer).error?.code, replay(r, backend)).toBe('malformed_request');
        expect((answer as Answer).error?.message, replay(r, backend)).toContain(text);
        // ORT never sees these: the message does not say what ORT does
        expect((answer as Answer).error?.message, replay(r, backend)).not.toContain('ONNX Runtime 1.30 refuses');
      }
    }
  });
});
