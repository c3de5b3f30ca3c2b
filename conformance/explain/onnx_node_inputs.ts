/**
 * How many inputs each ai.onnx op `qconform explain` reads takes, as ONNX Runtime 1.30 checks when it loads a model
 * (onnx/defs/schema.cc OpSchema::Verify: "Node(<name>) with schema(::<op>:<version>) has input size <n> not in range
 * [min=<a>, max=<b>]."; the counts are the ONNX schemas' at the opsets explain reads, 10 and later:
 * onnx/defs/quantization/defs.cc, nn/defs.cc, math/defs.cc, tensor/defs.cc). Before, a Conv without inputs was listed as
 * "Conv is not modelled" and a QuantizeLinear without inputs left the graph input unread: models ORT never runs.
 * Other domains' ops (com.microsoft) are not checked here.
 */
import { type Node } from './onnx_graph.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

/** [min, max] inputs of each op at `opset` (Gemm's C is optional from Gemm-11). */
function inputRange(op: string, opset: number): readonly [number, number] | undefined {
  switch (op) {
    case 'QuantizeLinear':
    case 'DequantizeLinear':
    case 'Conv':
      return [2, 3];
    case 'Gemm':
      return [opset >= 11 ? 2 : 3, 3];
    case 'QLinearConv':
      return [8, 9];
    case 'QLinearMatMul':
      return [8, 8];
    case 'MatMulInteger':
      return [2, 4];
    case 'MatMul':
    case 'Reshape':
      return [2, 2];
    case 'MaxPool':
    case 'Relu':
    case 'Flatten':
    case 'Identity':
    case 'Cast':
    case 'ConstantOfShape':
      return [1, 1];
    default:
      return undefined;
  }
}

/** Throws an OrtRefusedModelError for the first ai.onnx node whose input count ORT 1.30 refuses (graph order). */
export function checkNodeInputCounts(path: string, nodes: readonly Node[], opsets: ReadonlyMap<string, number>): void {
  const opset = opsets.get('');
  if (opset === undefined) return;
  nodes.forEach((n, k) => {
    if (n.domain && n.domain !== 'ai.onnx') return;
    const op = n.opType ?? '';
    const range = inputRange(op, opset);
    const count = n.input?.length ?? 0;
    if (!range || (count >= range[0] && count <= range[1])) return;
    const takes = range[0] === range[1] ? `${range[0]}` : `${range[0]} to ${range[1]}`;
    throw new OrtRefusedModelError(path, `${op} node ${n.name || `${op}_${k}`}: ${count} inputs, where ${op} at opset ${opset} takes ${takes}`, `has input size ${count} not in range [min=${range[0]}, max=${range[1]}].`);
  });
}
