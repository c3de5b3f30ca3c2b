/**
 * `qconform explain` on steps of another branch of an ONNX graph (explain_run.ts readsOther), as onnxruntime-node 1.30
 * runs the models built here:
 *   - the float input quantized twice (scales 0.03 and 0.05), each QuantizeLinear feeding its QLinearConv (convA reads
 *     the chain's xqA, convB the other xqB), and a MaxPool after convA, in both node orders of the two convs. The graph
 *     value decides before the qparams: convB is another branch (generated data, labelled, its qparams named), the chain
 *     keeps convA's value. Before, convB's other qparams sent it down the misread path: listed first, it refused the
 *     valid --input ("its first layer convB reads x in scale 0.05 ..."); listed second, it took the chain onto its own
 *     branch, and the MaxPool after convA was listed as reading another value;
 *   - a MaxPool with strides [0, 0] reading xq beside qconv1: refused, as on every other path (ORT refuses the model).
 *     Before, it was listed as not modelled and the model accepted;
 *   - DequantizeLinear -> Relu -> QuantizeLinear reading xq beside qconv1: listed under its three nodes. Before, the
 *     Relu was dropped from the label.
 * Replay one case: npx vitest run tests/explain/branch_steps.test.ts -t '<case name>'
 */
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { DT, X_SHAPE, chainInput, conv3x3Pads1, f32, int8Weight, ortValues, zp } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { ints } from '../support/explain_integer_model.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';
import { installedOrt } from '../support/installed_ort.js';

const { file, jsonInput } = explainFiles('qconform-branch-steps-');
const conv = (name: string, x: string, s: string, w: string, y: string) => ({ opType: 'QLinearConv', name, input: [x, s, 'z', w, 'ws', 'wz', 'ys', 'yz'], output: [y], attribute: conv3x3Pads1() });

/** x -> QuantizeLinear(sA 0.03, z 128) -> xqA, QuantizeLinear(sB 0.05, z 128) -> xqB, then `nodes` (3 -> 3 channel QLinearConvs, y in ys 0.07, yz 100); graph outputs `outputs`. */
function model(nodes: readonly object[], outputs: readonly string[]): Uint8Array {
  const rng = new CaseRandom('explain-branch-steps-weights');
  const w = (name: string) => int8Weight(rng, name, [3, 3, 3, 3]);
  return modelBytes({
    node: [{ opType: 'QuantizeLinear', name: 'quantA', input: ['x', 'sA', 'z'], output: ['xqA'] }, { opType: 'QuantizeLinear', name: 'quantB', input: ['x', 'sB', 'z'], output: ['xqB'] }, ...nodes],
    initializer: [f32('sA', 0.03), f32('sB', 0.05), zp('z', 'uint8', 128), f32('ys', 0.07), zp('yz', 'uint8', 100), w('wA'), w('wB'), f32('ws', 0.004), zp('wz', 'int8', 0), f32('s2', 0.02), zp('z2', 'uint8', 10)],
    input: [tensorValue('x', DT.FLOAT, X_SHAPE)],
    output: outputs.map((name) => ({ name })),
  });
}

const convA = conv('convA', 'xqA', 'sA', 'wA', 'yA');
const convB = conv('convB', 'xqB', 'sB', 'wB', 'yB');
const pool = { opType: 'MaxPool', name: 'pool', input: ['yA'], output: ['pA'], attribute: [ints('kernel_shape', [2, 2])] };
const ORDERS = [
  ['convA before convB', [convA, convB, pool]],
  ['convB before convA', [convB, convA, pool]],
] as const;

describe('explain on steps of another branch, as onnxruntime-node 1.30 runs the models', () => {
  it.each(ORDERS)('two QuantizeLinears of the input in other scales, %s: convB is another branch, the chain stays on convA', async (name, nodes) => {
    const bytes = model(nodes, ['pA', 'yB']);
    const x = chainInput(`explain-branch-steps:${name}`);
    const outs = new Map<string, IntTensor>();
    const base = name.replace(/\W+/g, '_');
    const replay = `replay: npx vitest run tests/explain/branch_steps.test.ts -t '${name}'`;
    const r = explainModel(readOnnxModel(file(`${base}.onnx`, bytes)), readInputTensor(jsonInput(`${base}.json`, X_SHAPE, x)), { seed: '1', outputs: outs });
    const ort = await ortValues(bytes, x, X_SHAPE, ['yA', 'pA']);
    expect(Array.from(outs.get('convA')?.data ?? []), `convA (ORT's yA); ${replay}`).toEqual(ort['yA']);
    expect(Array.from(outs.get('pool')?.data ?? []), `pool (ORT's pA); ${replay}`).toEqual(ort['pA']);
    const layers = Object.fromEntries(r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d').map((s) => [s.name, s]));
    expect(layers['convA']?.inputOrigin, replay).toBe('chain');
    expect(layers['convB']?.inputOrigin, replay).toBe('generated');
    expect(layers['convB']?.generatedBecause, replay).toMatch(/^it reads xqB, not (xqA|yA), the graph value whose integers the chain holds \(and in scale 0\.05/);
    expect(r.steps.find((s) => s.name === 'pool')?.kind, replay).toBe('maxpool2d');
  }, 60_000);

  it('a MaxPool with strides [0, 0] on another branch is refused, as ORT refuses the model', async () => {
    const bytes = model([conv('qconv1', 'xqA', 'sA', 'wA', 'y1'), { opType: 'MaxPool', name: 'pool0', input: ['xqA'], output: ['p'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [0, 0])] }], ['y1', 'p']);
    const ort = await installedOrt();
    let ortError = '';
    try {
      const s = await ort.InferenceSession.create(bytes);
      await s.run({ x: new ort.Tensor('float32', Float32Array.from(chainInput('explain-branch-steps:pool0')), X_SHAPE) });
    } catch (e) {
      ortError = (e as Error).message;
    }
    expect(ortError, 'ORT refuses the model').not.toBe('');
    const x = chainInput('explain-branch-steps:pool0');
    const run = () => explainModel(readOnnxModel(file('pool0.onnx', bytes)), readInputTensor(jsonInput('pool0.json', X_SHAPE, x)), { seed: '1' });
    expect(run, "replay: npx vitest run tests/explain/branch_steps.test.ts -t 'strides'").toThrow(ModelReadError);
    expect(run).toThrow(/strides/);
  }, 60_000);

  it('a DequantizeLinear -> Relu -> QuantizeLinear on another branch is listed under its three nodes', async () => {
    const nodes = [
      conv('qconv1', 'xqA', 'sA', 'wA', 'y1'),
      { opType: 'DequantizeLinear', name: 'dq', input: ['xqA', 'sA', 'z'], output: ['f'] },
      { opType: 'Relu', name: 'relu', input: ['f'], output: ['r'] },
      { opType: 'QuantizeLinear', name: 'q', input: ['r', 's2', 'z2'], output: ['rq'] },
    ];
    const bytes = model(nodes, ['y1', 'rq']);
    const x = chainInput('explain-branch-steps:relu');
    const outs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel(file('relu.onnx', bytes)), readInputTensor(jsonInput('relu.json', X_SHAPE, x)), { seed: '1', outputs: outs });
    const ort = await ortValues(bytes, x, X_SHAPE, ['y1']);
    expect(Array.from(outs.get('qconv1')?.data ?? [])).toEqual(ort['y1']);
    const step = r.steps.find((s) => s.name === 'dq');
    expect(step, "replay: npx vitest run tests/explain/branch_steps.test.ts -t 'Relu'").toMatchObject({ kind: 'not_modelled', opType: 'DequantizeLinear -> Relu -> QuantizeLinear' });
    expect((step as { reason: string }).reason).toContain('reads xqA, not y1');
  }, 60_000);
});
