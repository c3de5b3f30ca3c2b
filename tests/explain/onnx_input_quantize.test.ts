/**
 * `qconform explain` quantizes an ONNX model's float input as the model's QuantizeLinear does in onnxruntime-node 1.30
 * (a float32 division by the scale: qdq_steps.ts onnxQuantizeInput), not as torch's quantize_per_tensor does (a product
 * with f32(1 / scale)); the two part at ties and near them. Before, explain took torch's, so the first layer of an ONNX
 * model read other integers than ORT's on such inputs. The model here is QuantizeLinear -> a 1x1 QLinearConv of weight 1
 * whose y qparams are x's (multiplier exactly 1), so its output is the quantized input, compared with ORT's.
 * Replay: npx vitest run tests/explain/onnx_input_quantize.test.ts
 */
import { describe, expect, it } from 'vitest';
import { f32Tensor, intTensor, type IntTensor } from '../../contract/tensor.js';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { impl } from '../../impl/index.js';
import { DT, f32, ortValues, zp } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { nextFloat32 } from '../support/float32_steps.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';

const { file, jsonInput } = explainFiles('qconform-onnx-input-quantize-');
const SCALE = Math.fround(0.03);

/** x [1, 1, 1, n] -> QuantizeLinear(0.03, 128) -> QLinearConv 1x1, w 1, w_scale 1, y qparams x's -> y (uint8). */
function identityConvModel(n: number): Uint8Array {
  return modelBytes({
    node: [
      { opType: 'QuantizeLinear', input: ['x', 's', 'z'], output: ['xq'] },
      { opType: 'QLinearConv', name: 'qconv', input: ['xq', 's', 'z', 'w', 'ws', 'wz', 's', 'z'], output: ['y'] },
    ],
    initializer: [f32('s', SCALE), zp('z', 'uint8', 128), { name: 'w', dims: [1, 1, 1, 1], dataType: DT.INT8, int32Data: [1] }, f32('ws', 1), zp('wz', 'int8', 0)],
    input: [tensorValue('x', DT.FLOAT, [1, 1, 1, n])],
    output: [tensorValue('y', DT.UINT8)],
  });
}

describe('explain quantizes an ONNX model\'s float input as its QuantizeLinear does in ORT 1.30', () => {
  it('at and next to the ties f32((k + 0.5) * 0.03), the first layer reads ORT\'s integers', async () => {
    // each tie and its float32 neighbours, k in [-128, 126]
    const x = Array.from({ length: 255 }, (_, i) => Math.fround((i - 128 + 0.5) * SCALE)).flatMap((t) => [nextFloat32(t, false), t, nextFloat32(t, true)]);
    const q = { scale: SCALE, zeroPoint: 128, dtype: 'quint8' as const };
    const torch = impl.quantizePerTensor(f32Tensor([x.length], x), q).data;
    const onnxQ = impl.quantizeLinear({ x: f32Tensor([x.length], x), yScale: f32Tensor([], [SCALE]), yZeroPoint: intTensor('uint8', [], [128]), dtype: 'uint8', axis: 1, blockSize: 0, saturate: 1 }).data;
    const parting = x.filter((_, i) => torch[i] !== onnxQ[i]).length;
    expect(parting, 'torch\'s quantize and ONNX QuantizeLinear part on some of these inputs').toBeGreaterThan(5);
    const bytes = identityConvModel(x.length);
    const shape = [1, 1, 1, x.length];
    const y = (await ortValues(bytes, x, shape, ['y']))['y']!;
    expect(y.filter((v, i) => v !== torch[i]).length, 'ORT\'s integers are not torch\'s quantize_per_tensor').toBe(parting);
    const outputs = new Map<string, IntTensor>();
    explainModel(readOnnxModel(file('identity_conv.onnx', bytes)), readInputTensor(jsonInput('ties.json', shape, x)), { seed: '1', outputs });
    expect(Array.from(outputs.get('qconv')!.data)).toEqual(y);
  }, 60_000);
});
