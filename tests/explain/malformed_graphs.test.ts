/**
 * ONNX graphs `qconform explain` cannot read are a ModelReadError naming the node and what is wrong (the CLI prints
 * it and exits 2), never a crash: a ConstantOfShape whose shape is negative or too large to fold.
 */
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
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

/** The ModelReadError readOnnxModel throws (any other outcome fails the test). */
function readError(bytes: Uint8Array): ModelReadError {
  try {
    readOnnxModel('m.onnx', bytes);
  } catch (e) {
    if (e instanceof ModelReadError) return e;
    throw new Error(`not a ModelReadError: ${(e as Error).stack}`);
  }
  throw new Error('the model was read');
}

describe('malformed ONNX graphs in qconform explain', () => {
  it.each([
    ['[1e5]^4', [100000, 100000, 100000, 100000], 'm.onnx: ConstantOfShape big: shape [100000, 100000, 100000, 100000] has 100000000000000000000 elements; explain folds constants of at most 4194304 (MAX_TENSOR_ELEMENTS, contract/limits.ts)'],
    ['[-5]', [-5], 'm.onnx: ConstantOfShape big: shape [-5] is not a shape (non-negative integers)'],
  ])('ConstantOfShape %s', (_, dims, message) => {
    expect(readError(withConstantOfShape(dims)).message).toBe(message);
  });

  it('a ConstantOfShape of a sane shape is still folded', () => {
    expect(readOnnxModel('m.onnx', withConstantOfShape([2, 0, 3])).steps.map((s) => s.kind)).toEqual(['conv2d']);
  });
});
