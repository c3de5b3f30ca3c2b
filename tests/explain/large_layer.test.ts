/**
 * `qconform explain` on a layer with millions of weights: the report's weight range was Math.min(...weights), which
 * throws RangeError (Maximum call stack size exceeded) past a few hundred thousand values: explain crashed on
 * torchvision's quantized ResNet-18 (layer4's 512x512x3x3 convs). The model here: one QLinearConv 512 -> 512
 * channels, 1x1, on a 1x1 input (262,144 weights, twice what a spread takes here, and few MACs), built with onnx-proto; the range is checked against the
 * weights' own. valueRange is also checked by itself on more values than a spread takes.
 */
import { describe, expect, it } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { valueRange } from '../../conformance/explain/value_range.js';
import { DT, f32, zp } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';

const { file, jsonInput } = explainFiles('qconform-large-layer-');
const [CIN, COUT] = [512, 512];

describe('explain on a layer of millions of weights', () => {
  it('reports the weights\' range instead of overflowing the call stack', () => {
    const rng = new CaseRandom('explain-large-layer');
    // the extremes sit at the end, where a range that stopped early would miss them
    const weights = Array.from({ length: CIN * COUT }, (_, i) => (i === CIN * COUT - 1 ? -127 : i === CIN * COUT - 2 ? 126 : rng.int(-100, 100)));
    const bytes = modelBytes({
      node: [
        { opType: 'QuantizeLinear', input: ['x', 'xs', 'xz'], output: ['xq'] },
        { opType: 'QLinearConv', name: 'wide', input: ['xq', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], output: ['y'] },
      ],
      initializer: [f32('xs', 0.03), zp('xz', 'uint8', 128), { name: 'w', dims: [COUT, CIN, 1, 1], dataType: DT.INT8, int32Data: weights }, f32('ws', 0.001), zp('wz', 'int8', 0), f32('ys', 0.05), zp('yz', 'uint8', 100)],
      input: [tensorValue('x', DT.FLOAT, [1, CIN, 1, 1])],
      output: [tensorValue('y', DT.UINT8)],
    });
    const x = Array.from({ length: CIN }, () => rng.normal());
    const r = explainModel(readOnnxModel(file('wide.onnx', bytes)), readInputTensor(jsonInput('x.json', [1, CIN, 1, 1], x)), { seed: '1' });
    const layer = r.steps[0] as ConvLayerReport;
    expect([layer.stored.weight.min, layer.stored.weight.max]).toEqual([-127, 126]);
    expect(consoleTable(r)).toContain('ints in [-127, 126]');
  }, 120_000);

  it('valueRange takes more values than Math.min(...values) can', () => {
    const values = new Int32Array(3_000_000).map((_, i) => (i * 7919) % 1_000_003);
    values[2_999_999] = -5;
    expect(() => Math.min(...values), 'the spread this replaces overflows here').toThrow(RangeError);
    expect(valueRange(values)).toEqual([-5, 1_000_002]);
    expect(valueRange([0.5, -0.25])).toEqual([-0.25, 0.5]);
  });
});
