/**
 * ONNX graphs `qconform explain` cannot read are a ModelReadError naming the node and what is wrong (the CLI prints
 * it and exits 2), never a crash: a ConstantOfShape whose shape is negative or too large to fold; a MaxPool with a
 * kernel or stride of 0, or whose window is larger than its input.
 */
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';

const { onnx } = onnxProto;

/** The base QDQ model with a ConstantOfShape `big` of the int64 shape `dims` beside it. */
function withConstantOfShape(dims: number[]): Uint8Array {
  const parts = qdqParts();
  parts.inits.push({ name: 'shp', dims: [dims.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: dims });
  parts.nodes.push({ opType: 'ConstantOfShape', input: ['shp'], output: ['big'] });
  return qdqModel(parts);
}

/** The base QDQ model with a MaxPool `mp` of `kernel` (and `strides` when given) after the conv's QuantizeLinear. */
function withMaxPool(kernel: number[], strides?: number[]): Uint8Array {
  const parts = qdqParts();
  const ints = onnx.AttributeProto.AttributeType.INTS;
  const attribute = [{ name: 'kernel_shape', type: ints, ints: kernel }, ...(strides ? [{ name: 'strides', type: ints, ints: strides }] : [])];
  parts.nodes.splice(5, 0, { opType: 'MaxPool', input: ['yq'], output: ['mp'], name: 'mp', attribute });
  return qdqModel(parts);
}

/** The ModelReadError that reading the model, then explaining it on generated data, throws (any other outcome fails the test). */
function readError(bytes: Uint8Array): ModelReadError {
  try {
    const model = readOnnxModel('m.onnx', bytes);
    explainModel(model, generatedInput(model.inputShape!, '1'), { seed: '1' });
  } catch (e) {
    if (e instanceof ModelReadError) return e;
    throw new Error(`not a ModelReadError: ${(e as Error).stack}`);
  }
  throw new Error('the model was read and explained');
}

describe('malformed ONNX graphs in qconform explain', () => {
  it.each([
    ['[1e5]^4', [100000, 100000, 100000, 100000], 'm.onnx: ConstantOfShape big: shape [100000, 100000, 100000, 100000] has 100000000000000000000 elements; explain folds constants of at most 4194304 (MAX_TENSOR_ELEMENTS, contract/limits.ts)'],
    ['[-5]', [-5], 'm.onnx: ConstantOfShape big: shape [-5] is not a shape (non-negative integers)'],
  ])('ConstantOfShape %s', (_, dims, message) => {
    expect(readError(withConstantOfShape(dims)).message).toBe(message);
  });

  it.each([
    ['kernel 0, stride 0', withMaxPool([0, 0], [0, 0]), 'm.onnx: MaxPool mp: kernel_shape [0,0]: 2 integers >= 1 [invalid_geometry]'],
    ['one stride for two dimensions', withMaxPool([2, 2], [2]), 'm.onnx: MaxPool mp: strides [2,null]: 2 integers >= 1 [invalid_geometry]'],
    ['a 100x100 kernel on 8x8', withMaxPool([100, 100]), 'm.onnx: MaxPool mp: spatial dim 0 {"input":8,"output":-91}: the pooled size is negative: ORT 1.30 refuses it when it creates the session (the inferred output dim: "Invalid dimension") [empty_output]'],
  ])('MaxPool with %s', (_, bytes, message) => {
    expect(readError(bytes).message).toBe(message);
  });

  it('a 2x2 MaxPool is carried', () => {
    const model = readOnnxModel('m.onnx', withMaxPool([2, 2], [2, 2]));
    expect(explainModel(model, generatedInput([1, 3, 8, 8], '1'), { seed: '1' }).steps.map((s) => s.kind)).toEqual(['conv2d', 'maxpool2d']);
  });

  it('a ConstantOfShape of a sane shape is still folded', () => {
    expect(readOnnxModel('m.onnx', withConstantOfShape([2, 0, 3])).steps.map((s) => s.kind)).toEqual(['conv2d']);
  });
});
