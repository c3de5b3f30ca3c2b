/**
 * `qconform explain` on branching ONNX graphs (onnx_step_values.ts, explain_run.ts): the chain feeds a step only the
 * integers of the graph value it reads. Each model is built here with equal qparams on every activation (so qparams
 * cannot tell the branches apart) and run in onnxruntime-node 1.30:
 *   - x -> QuantizeLinear -> two QLinearConvs that both read xq (one output each);
 *   - x -> QuantizeLinear -> qconv1 -> y1, read by qconv2 and qconv3 (one output each), and by a MaxPool after qconv2.
 * Before, explain chained steps in node order: qconv2 (or qconv3) read the integers of the layer before it, not ORT's.
 * Now every step gives ORT's integers: one that reads the chain's value on the chain, and a layer that reads another
 * value on that value's integers as this run gave them, labelled with the branch it reads (otherBranch); the chain
 * stays on its own branch.
 * Replay one case: npx vitest run tests/explain/branching_graphs.test.ts -t '<case name>'
 */
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { DT, X_SHAPE, chainInput, conv3x3Pads1, f32, int8Weight, ortValues, zp } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { ints } from '../support/explain_integer_model.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';

const { file, jsonInput } = explainFiles('qconform-branching-');
const conv = (name: string, x: string, w: string, y: string) => ({ opType: 'QLinearConv', name, input: [x, 's', 'z', w, 'ws', 'wz', 's', 'z'], output: [y], attribute: conv3x3Pads1() });

/** x -> QuantizeLinear(s 0.03, z 128) -> xq, then `nodes` (3 -> 3 channel QLinearConvs, every activation in s, z); graph outputs `outputs`. */
function branchingModel(nodes: readonly object[], outputs: readonly string[]): Uint8Array {
  const rng = new CaseRandom('explain-branching-weights');
  const w = (name: string) => int8Weight(rng, name, [3, 3, 3, 3]);
  return modelBytes({
    node: [{ opType: 'QuantizeLinear', name: 'quant', input: ['x', 's', 'z'], output: ['xq'] }, ...nodes],
    initializer: [f32('s', 0.03), zp('z', 'uint8', 128), w('w1'), w('w2'), w('w3'), f32('ws', 0.004), zp('wz', 'int8', 0)],
    input: [tensorValue('x', DT.FLOAT, X_SHAPE)],
    output: outputs.map((name) => tensorValue(name, DT.UINT8)),
  });
}

/** [case, nodes, graph outputs, step -> the ORT value its integers are, layer -> the other branch it reads] */
type Case = readonly [name: string, nodes: readonly object[], outputs: readonly string[], chained: Readonly<Record<string, string>>, branches: Readonly<Record<string, string>>];
const CASES: readonly Case[] = [
  ['two QLinearConvs reading the quantized input', [conv('qconv1', 'xq', 'w1', 'y1'), conv('qconv2', 'xq', 'w2', 'y2')], ['y1', 'y2'], { qconv1: 'y1', qconv2: 'y2' }, { qconv2: 'it reads xq, not y1, the graph value whose integers the chain holds' }],
  [
    'a QLinearConv read by two QLinearConvs, a MaxPool after the first',
    [conv('qconv1', 'xq', 'w1', 'y1'), conv('qconv2', 'y1', 'w2', 'y2'), { opType: 'MaxPool', name: 'pool', input: ['y2'], output: ['p2'], attribute: [ints('kernel_shape', [2, 2])] }, conv('qconv3', 'y1', 'w3', 'y3')],
    ['p2', 'y3'],
    { qconv1: 'y1', qconv2: 'y2', pool: 'p2', qconv3: 'y3' },
    { qconv3: 'it reads y1, not p2, the graph value whose integers the chain holds' },
  ],
];

describe('explain on a branching ONNX graph, as onnxruntime-node 1.30 runs it', () => {
  it.each(CASES)('%s: each step reads the value it reads in ORT', async (name, nodes, outputs, chained, branches) => {
    const bytes = branchingModel(nodes, outputs);
    const x = chainInput(`explain-branching:${name}`);
    const outs = new Map<string, IntTensor>();
    const base = name.replace(/\W+/g, '_');
    const r = explainModel(readOnnxModel(file(`${base}.onnx`, bytes)), readInputTensor(jsonInput(`${base}.json`, X_SHAPE, x)), { seed: '1', outputs: outs });
    const ort = await ortValues(bytes, x, X_SHAPE, [...new Set([...Object.values(chained), ...outputs])]);
    for (const [step, value] of Object.entries(chained)) expect(Array.from(outs.get(step)?.data ?? []), `${step} (ORT's ${value}); replay: -t '${name}'`).toEqual(ort[value]);
    const layers = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    for (const l of layers) {
      expect(l.inputOrigin, `${l.name}; replay: -t '${name}'`).toBe('chain');
      expect(l.otherBranch, l.name).toBe(branches[l.name]);
    }
    for (const value of Object.values(chained)) expect(new Set(ort[value]).size, `ORT's ${value} is not all one value`).toBeGreaterThan(3);
  }, 60_000);
});
