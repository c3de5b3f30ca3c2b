/**
 * `qconform explain` on a QuantizeLinear's zero point as onnx_graph.ts quantizeQparams reads it, on models run in
 * onnxruntime-node 1.30:
 *   - a QDQ Conv whose output QuantizeLinear takes a computed zero point (a Reshape of a uint8 constant): ORT runs it;
 *     explain refuses it with qparams' ModelReadError naming the zero point as not a constant. Before (since the output
 *     type was read first), the Conv was listed as not modelled, "the QuantizeLinear's output type is not known";
 *   - DequantizeLinear -> MaxPool -> QuantizeLinear to int16 (opset 21): ORT runs it and outputs int16; explain lists the
 *     MaxPool as not modelled naming the QuantizeLinear after it and int16, not as a requantization.
 * Replay: npx vitest run tests/explain/quantize_zero_point_input.test.ts
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { X_SHAPE, chainInput, conv3x3Pads1 } from '../support/explain_chain_models.js';
import { ints } from '../support/explain_integer_model.js';
import { explainFiles } from '../support/explain_files.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const { file } = explainFiles('qconform-q-zero-point-');
const f32 = (name: string, v: number) => ({ name, dims: [], dataType: DT.FLOAT, floatData: [v] });
const zp = (name: string, dataType: number, v: number, dims: number[] = []) => ({ name, dims, dataType, int32Data: [v] });
const w = { name: 'w', dims: [4, 3, 3, 3], dataType: DT.INT8, int32Data: Array.from({ length: 108 }, (_, i) => ((i * 37) % 255) - 127) };
const REPLAY = 'replay: npx vitest run tests/explain/quantize_zero_point_input.test.ts';

function model(nodes: onnxProto.onnx.INodeProto[], inits: onnxProto.onnx.ITensorProto[], output: string): Uint8Array {
  return modelBytes({ node: nodes, initializer: inits, input: [tensorValue('x', DT.FLOAT, X_SHAPE)], output: [{ name: output }] }, { irVersion: 10, opset: 21 });
}

async function ortRun(bytes: Uint8Array): Promise<string> {
  const ort = await installedOrt();
  const s = await ort.InferenceSession.create(bytes);
  const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from(chainInput('explain-q-zero-point')), X_SHAPE) });
  return Object.values(r)[0]!.type;
}

describe("a QuantizeLinear's zero point, as onnxruntime-node 1.30 runs the models", () => {
  it('a QDQ Conv whose output zero point is computed: ORT runs it, explain refuses it naming the zero point', async () => {
    const bytes = model(
      [
        { opType: 'QuantizeLinear', input: ['x', 'xs', 'xz'], output: ['xq'] },
        { opType: 'DequantizeLinear', input: ['xq', 'xs', 'xz'], output: ['xf'] },
        { opType: 'DequantizeLinear', input: ['w', 'ws', 'wz'], output: ['wf'] },
        { opType: 'Conv', name: 'c', input: ['xf', 'wf'], output: ['yf'], attribute: conv3x3Pads1() },
        { opType: 'Reshape', input: ['yz1', 'scalar'], output: ['yz'] },
        { opType: 'QuantizeLinear', input: ['yf', 'ys', 'yz'], output: ['yq'] },
      ],
      [f32('xs', 0.05), zp('xz', DT.UINT8, 3), w, f32('ws', 0.01), zp('wz', DT.INT8, 0), f32('ys', 0.1), zp('yz1', DT.UINT8, 2, [1]), { name: 'scalar', dims: [0], dataType: DT.INT64 }],
      'yq',
    );
    expect(await ortRun(bytes), 'ORT runs it').toBe('uint8');
    const read = () => readOnnxModel(file('computed-zp.onnx', bytes));
    expect(read, REPLAY).toThrow(ModelReadError);
    expect(read).toThrow(/y zero point \(yz\) is not a constant of the graph/);
  }, 60_000);

  it('a QDQ MaxPool whose QuantizeLinear outputs int16: ORT runs it, explain names the QuantizeLinear and int16', async () => {
    const bytes = model(
      [
        { opType: 'QuantizeLinear', input: ['x', 'xs', 'xz'], output: ['xq'] },
        { opType: 'QLinearConv', name: 'c', input: ['xq', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], output: ['y'], attribute: conv3x3Pads1() },
        { opType: 'DequantizeLinear', input: ['y', 'ys', 'yz'], output: ['yf'] },
        { opType: 'MaxPool', name: 'pool', input: ['yf'], output: ['pf'], attribute: [ints('kernel_shape', [2, 2])] },
        { opType: 'QuantizeLinear', input: ['pf', 'ps', 'pz'], output: ['pq'] },
      ],
      [f32('xs', 0.05), zp('xz', DT.UINT8, 3), w, f32('ws', 0.01), zp('wz', DT.INT8, 0), f32('ys', 0.1), zp('yz', DT.UINT8, 2), f32('ps', 0.1), zp('pz', DT.INT16, 2)],
      'pq',
    );
    expect(await ortRun(bytes), 'ORT runs it').toBe('int16');
    const step = readOnnxModel(file('pool-int16.onnx', bytes)).steps.find((s) => s.name === 'pool');
    expect(step?.kind, REPLAY).toBe('not_modelled');
    const reason = (step as { reason: string }).reason;
    expect(reason, REPLAY).toContain('the QuantizeLinear after the MaxPool is not modelled');
    expect(reason).toContain('int16');
    expect(reason).not.toContain('changes the qparams');
  }, 60_000);
});
