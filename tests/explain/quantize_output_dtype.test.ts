/**
 * `qconform explain` on QuantizeLinear-21 with an output_dtype and no zero point (onnx_graph.ts quantizeQparams): its
 * output is of that type with zero point 0, as onnxruntime-node 1.30 runs it. A QDQ Conv model, x and y each quantized
 * by a QuantizeLinear with output_dtype int8 and no zero point (opset 21), built here and run in ORT. Before, explain
 * read both as uint8: the input was quantized to [0, 255] and the layer's y stated as clamped to [0, 255], where ORT
 * gives int8 integers in [-128, 127].
 * Replay: npx vitest run tests/explain/quantize_output_dtype.test.ts
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { X_SHAPE, chainInput, ortValues } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';
import { qdqParts } from '../support/explain_qdq_model.js';
import { modelBytes, tensorValue } from '../support/onnx_model_bytes.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const { file, jsonInput } = explainFiles('qconform-output-dtype-');
const int8Out = [{ name: 'output_dtype', type: onnx.AttributeProto.AttributeType.INT, i: DT.INT8 }];

/** qdqParts' Conv (x scale 0.05, y scale 0.1), every QuantizeLinear and activation DequantizeLinear without a zero point, the QuantizeLinears with output_dtype int8. */
function outputDtypeModel(): Uint8Array {
  const p = qdqParts();
  const nodes = [
    { opType: 'QuantizeLinear', input: ['x', 'x_scale'], output: ['xq'], attribute: int8Out },
    { opType: 'DequantizeLinear', input: ['xq', 'x_scale'], output: ['xf'] },
    p.nodes[2]!,
    p.nodes[3]!,
    { opType: 'QuantizeLinear', input: ['yf', 'y_scale'], output: ['yq'], attribute: int8Out },
  ];
  const graph = {
    node: nodes,
    initializer: p.inits.filter((t) => t.name !== 'x_zp' && t.name !== 'y_zp'),
    input: [tensorValue('x', DT.FLOAT, X_SHAPE)],
    output: [tensorValue('yq', DT.INT8)],
  };
  return modelBytes(graph, { irVersion: 10, opset: 21 });
}

describe('QuantizeLinear with output_dtype int8 and no zero point, as onnxruntime-node 1.30 runs it', () => {
  it('the input and the layer are int8 with zero point 0, and the layer gives ORT\'s integers', async () => {
    const bytes = outputDtypeModel();
    const x = chainInput('explain-output-dtype');
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel(file('m.onnx', bytes)), readInputTensor(jsonInput('x.json', X_SHAPE, x)), { seed: '1', outputs });
    const ort = await ortValues(bytes, x, X_SHAPE, ['xq', 'yq']);
    const layer = r.steps[0] as ConvLayerReport;
    expect(layer.stored.x).toEqual({ scale: Math.fround(0.05), zeroPoint: 0, dtype: 'qint8' });
    expect(layer.stored.y).toEqual({ scale: Math.fround(0.1), zeroPoint: 0, dtype: 'qint8' });
    expect(layer.clamp.kernel).toEqual([-128, 127]);
    expect(layer.inputOrigin).toBe('chain');
    expect(Array.from(outputs.get('qconv')?.data ?? [])).toEqual(ort['yq']);
    // not vacuous: ORT's integers go below 0 (uint8 would clamp them)
    expect(ort['yq']!.filter((v) => v < 0).length).toBeGreaterThan(20);
    expect(ort['xq']!.filter((v) => v < 0).length).toBeGreaterThan(20);
  }, 60_000);
});
