/**
 * A layer on another branch of an ONNX graph (it reads another value than the one whose integers the chain holds:
 * explain_run.ts) runs on generated data of the shape of the value it reads, as onnxruntime-node 1.30 runs the model
 * (conformance/explain/onnx_value_shapes.ts), labelled as before (generatedBecause). The models: x [1, 3, 8, 8]
 * quantized twice (xqA, xqB); the chain runs xqA through a 2x2 MaxPool (4x4) into convA; on other branches
 *   - convB reads xqB: the graph input's shape in this run, 8x8;
 *   - convC reads convB's output: its shape as explain ran convB, 8x8;
 *   - convD reads a second graph input x2 declared [1, 3, 5, 7], quantized;
 *   - convE reads a 3x3 MaxPool of xqB (6x6, not run: another branch) that a value_info declares [1, 3, 6, 6];
 *   - convF reads the same MaxPool's output when no value_info declares it: unknown to explain, the chain's H and W.
 * Each layer's input and output shape is checked against ORT's shape of the value it reads and gives. Before, every one
 * ran on data of the chain's H and W (4x4) where ORT runs 8x8, 5x7 and 6x6.
 * Replay: npx vitest run tests/explain/branch_shapes.test.ts
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { DT, X_SHAPE, chainInput, conv3x3Pads1, f32, int8Weight, zp } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { ints } from '../support/explain_integer_model.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const { file, jsonInput } = explainFiles('qconform-branch-shapes-');
const conv = (name: string, x: string, s: string, y: string) => ({ opType: 'QLinearConv', name, input: [x, s, 'z', `w_${name}`, 'ws', 'wz', 'ys', 'yz'], output: [y], attribute: conv3x3Pads1() });
const pool = (name: string, x: string, y: string, k: number, s: number) => ({ opType: 'MaxPool', name, input: [x], output: [y], attribute: [ints('kernel_shape', [k, k]), ints('strides', [s, s])] });
const X2_SHAPE = [1, 3, 5, 7];

/** The model above: every QLinearConv 3 -> 3 channels, 3x3, pads 1 (output of its input's H and W). */
function branchModel(): Uint8Array {
  const rng = new CaseRandom('explain-branch-shapes-weights');
  const layers = ['convA', 'convB', 'convC', 'convD', 'convE', 'convF'];
  const w = (name: string) => int8Weight(rng, `w_${name}`, [3, 3, 3, 3]);
  return modelBytes({
    node: [
      { opType: 'QuantizeLinear', name: 'quantA', input: ['x', 'sA', 'z'], output: ['xqA'] },
      { opType: 'QuantizeLinear', name: 'quantB', input: ['x', 'sB', 'z'], output: ['xqB'] },
      { opType: 'QuantizeLinear', name: 'quant2', input: ['x2', 'sB', 'z'], output: ['xq2'] },
      pool('poolA', 'xqA', 'pA', 2, 2),
      conv('convA', 'pA', 'sA', 'yA'),
      conv('convB', 'xqB', 'sB', 'yB'),
      conv('convC', 'yB', 'ys', 'yC'),
      conv('convD', 'xq2', 'sB', 'yD'),
      pool('poolB', 'xqB', 'pB', 3, 1),
      conv('convE', 'pB', 'sB', 'yE'),
      pool('poolF', 'xqB', 'pF', 3, 1),
      conv('convF', 'pF', 'sB', 'yF'),
    ],
    initializer: [f32('sA', 0.03), f32('sB', 0.05), zp('z', 'uint8', 128), f32('ys', 0.07), zp('yz', 'uint8', 100), f32('ws', 0.004), zp('wz', 'int8', 0), ...layers.map(w)],
    input: [tensorValue('x', DT.FLOAT, X_SHAPE), tensorValue('x2', DT.FLOAT, X2_SHAPE)],
    output: ['yA', 'yC', 'yD', 'yE', 'yF'].map((name) => ({ name })),
    valueInfo: [tensorValue('pB', DT.UINT8, [1, 3, 6, 6])],
  });
}

/** ORT 1.30's shapes of `names` in the model run on x and x2. */
async function ortShapes(bytes: Uint8Array, x: readonly number[], names: readonly string[]): Promise<Record<string, readonly number[]>> {
  const ort = await installedOrt();
  const model = onnx.ModelProto.decode(bytes);
  for (const n of names) if (!model.graph!.output!.some((o) => o.name === n)) model.graph!.output!.push({ name: n });
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish());
  const x2 = new Float32Array(X2_SHAPE.reduce((a, b) => a * b, 1)).fill(0.25);
  const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), X_SHAPE), x2: new ort.Tensor('float32', x2, X2_SHAPE) }, [...names]);
  await session.release();
  return Object.fromEntries(names.map((n) => [n, r[n]!.dims]));
}

describe('a layer on another branch runs on data of the shape of the value it reads', () => {
  it('convB (the input, 8x8), convC (convB\'s output), convD (x2, 5x7), convE (a value_info, 6x6); convF unknown: the chain\'s', async () => {
    const bytes = branchModel();
    const x = chainInput('explain-branch-shapes');
    const r = explainModel(readOnnxModel(file('m.onnx', bytes)), readInputTensor(jsonInput('x.json', X_SHAPE, x)), { seed: '1' });
    const ort = await ortShapes(bytes, x, ['pA', 'xqB', 'yA', 'yB', 'yC', 'xq2', 'yD', 'pB', 'yE', 'yF']);
    const layer = (name: string) => r.steps.find((s): s is ConvLayerReport => s.kind === 'conv2d' && s.name === name)!;
    const replay = 'replay: npx vitest run tests/explain/branch_shapes.test.ts';
    expect(layer('convA').inputOrigin, replay).toBe('chain');
    expect(layer('convA').geometry.inputShape, `convA on the chain (ORT's pA); ${replay}`).toEqual(ort['pA']);
    for (const [name, input, output] of [['convB', 'xqB', 'yB'], ['convC', 'yB', 'yC'], ['convD', 'xq2', 'yD'], ['convE', 'pB', 'yE']] as const) {
      const l = layer(name);
      expect(l.inputOrigin, `${name}; ${replay}`).toBe('generated');
      expect(l.generatedBecause, `${name}; ${replay}`).toMatch(new RegExp(`^it reads ${input}, not yA, the graph value whose integers the chain holds`));
      expect(l.geometry.inputShape, `${name}'s input (ORT's ${input}); ${replay}`).toEqual(ort[input]);
      expect(l.geometry.outputShape, `${name}'s output (ORT's ${output}); ${replay}`).toEqual(ort[output]);
    }
    // pF's shape is stated nowhere: the chain's H and W, as before (ORT's yF is 6x6)
    expect(layer('convF').geometry.inputShape, replay).toEqual([1, 3, 4, 4]);
    expect(ort['yF']).toEqual([1, 3, 6, 6]);
  }, 60_000);
});
