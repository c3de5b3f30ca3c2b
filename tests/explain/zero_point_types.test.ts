/**
 * `qconform explain` on activations of another type than uint8 / int8 (onnx_graph.ts qparams, checkQLinearTypes), as
 * onnxruntime-node 1.30 runs them: a QLinearConv or QLinearMatMul with int16 / uint16 x and y is refused when ORT loads
 * the model (ONNX's type constraints: uint8 / int8 only), quoting ORT's message; a QDQ Conv whose x is int16 / uint16 and
 * whose y is uint8 is run by ORT (in float: the types differ) and listed as not modelled, naming the type. Before,
 * qparams read every zero point type other than int8 as uint8: both layers were analysed as uint8 layers clamped to
 * [0, 255].
 * Replay: npx vitest run tests/explain/zero_point_types.test.ts
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { X_SHAPE, chainInput, conv3x3Pads1 } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const { file } = explainFiles('qconform-zp-types-');
const conv = conv3x3Pads1();
const zp = (name: string, dataType: number, v: number) => ({ name, dims: [], dataType, int32Data: [v] });
const f32 = (name: string, v: number) => ({ name, dims: [], dataType: DT.FLOAT, floatData: [v] });
const w = { name: 'w', dims: [4, 3, 3, 3], dataType: DT.INT8, int32Data: Array.from({ length: 108 }, (_, i) => ((i * 37) % 255) - 127) };

function model(nodes: onnxProto.onnx.INodeProto[], inits: onnxProto.onnx.ITensorProto[], output: string): Uint8Array {
  return modelBytes({ node: nodes, initializer: inits, input: [tensorValue('x', DT.FLOAT, X_SHAPE)], output: [{ name: output }] }, { irVersion: 10, opset: 21 });
}

/** QuantizeLinear(x) to `type` -> QLinearConv c (x and y of `type`). */
const qlinearConv = (type: number) =>
  model(
    [
      { opType: 'QuantizeLinear', input: ['x', 'xs', 'xz'], output: ['xq'] },
      { opType: 'QLinearConv', name: 'c', input: ['xq', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], output: ['y'], attribute: conv },
    ],
    [f32('xs', 0.05), zp('xz', type, 3), w, f32('ws', 0.01), zp('wz', DT.INT8, 0), f32('ys', 0.1), zp('yz', type, 2)],
    'y',
  );

/** QuantizeLinear(x) to `type` -> DequantizeLinear -> Conv c (DequantizeLinear'd int8 w) -> QuantizeLinear to uint8. */
const qdqConv = (type: number) =>
  model(
    [
      { opType: 'QuantizeLinear', input: ['x', 'xs', 'xz'], output: ['xq'] },
      { opType: 'DequantizeLinear', input: ['xq', 'xs', 'xz'], output: ['xf'] },
      { opType: 'DequantizeLinear', input: ['w', 'ws', 'wz'], output: ['wf'] },
      { opType: 'Conv', name: 'c', input: ['xf', 'wf'], output: ['yf'], attribute: conv },
      { opType: 'QuantizeLinear', input: ['yf', 'ys', 'yz'], output: ['yq'] },
    ],
    [f32('xs', 0.05), zp('xz', type, 3), w, f32('ws', 0.01), zp('wz', DT.INT8, 0), f32('ys', 0.1), zp('yz', DT.UINT8, 2)],
    'yq',
  );

async function ortRun(bytes: Uint8Array, level: 'all' | 'disabled'): Promise<{ ok: true; type: string } | { ok: false; message: string }> {
  const ort = await installedOrt();
  try {
    const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level });
    const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from(chainInput('explain-zp-types')), X_SHAPE) });
    return { ok: true, type: Object.values(r)[0]!.type };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

const TYPES = [
  ['int16', DT.INT16],
  ['uint16', DT.UINT16],
] as const;

describe('activations of another type than uint8 / int8, as onnxruntime-node 1.30 runs them', () => {
  for (const [name, type] of TYPES) {
    it(`a QLinearConv with ${name} x and y is refused, as ORT refuses it when it loads the model`, async () => {
      const bytes = qlinearConv(type);
      const ort = await ortRun(bytes, 'all');
      expect(ort.ok, 'ORT refuses the model').toBe(false);
      let err: unknown;
      try {
        readOnnxModel(file(`qlinear-${name}.onnx`, bytes));
      } catch (e) {
        err = e;
      }
      expect(err, `explain refuses it (replay: npx vitest run tests/explain/zero_point_types.test.ts -t ${name})`).toBeInstanceOf(OrtRefusedModelError);
      expect((ort as { message: string }).message).toContain((err as OrtRefusedModelError).ort);
      expect((err as Error).message).toContain(`is ${name}`);
    }, 60_000);

    it(`a QDQ Conv with ${name} x and uint8 y runs in ORT and is listed as not modelled, naming ${name}`, async () => {
      const bytes = qdqConv(type);
      for (const level of ['all', 'disabled'] as const) expect(await ortRun(bytes, level), `ORT runs it (${level})`).toEqual({ ok: true, type: 'uint8' });
      const m = readOnnxModel(file(`qdq-${name}.onnx`, bytes));
      const step = m.steps.find((s) => s.name === 'c');
      expect(step?.kind, `replay: npx vitest run tests/explain/zero_point_types.test.ts -t ${name}`).toBe('not_modelled');
      expect((step as { reason: string }).reason).toContain(name);
    }, 60_000);
  }
});
