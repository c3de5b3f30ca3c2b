/**
 * How an ONNX model's graph input reaches the chain `qconform explain` runs (onnx_model.ts):
 *   - a float input that a QuantizeLinear consumes: the model quantizes the user's floats (ExplainModel.input);
 *   - a uint8 / int8 input that the first layer reads as its x, itself (QLinearConv, QLinearMatMul) or through a
 *     DequantizeLinear (a QDQ Conv, Gemm or MatMul): the user's integers are that layer's input, in its x qparams
 *     (IntegerGraphInput; integer_input.ts). ONNX gives x and x_zero_point one type (onnx/defs/nn/defs.cc
 *     QLinearConv-10 T1, onnx/defs/math/defs.cc QLinearMatMul-10 T1, DequantizeLinear's T);
 *   - anything else: why no input reaches a modelled layer (an --input is refused: input_reach.ts).
 */
import type onnxProto from 'onnx-proto';
import type { ExplainModel, ModelStep } from './model_types.js';
import { DT, type Node, type OnnxGraph, dequantizeOf, qparams } from './onnx_graph.js';

/** 'float32', 'uint8', 'int64', ... for an ONNX TensorProto data type. */
function typeName(elem: number | null | undefined): string {
  if (elem === DT.FLOAT) return 'float32';
  const name = (DT as unknown as Record<number, string | undefined>)[elem ?? 0];
  return name ? name.toLowerCase() : `data type ${elem ?? 'unknown'}`;
}

/** The quantized x a layer's node reads: QLinearConv / QLinearMatMul input 0, or the input of the DequantizeLinear feeding a QDQ layer. */
function quantizedX(g: OnnxGraph, n: Node | undefined): string | undefined {
  if (n?.opType === 'QLinearConv' || n?.opType === 'QLinearMatMul') return n.input?.[0] ?? undefined;
  return n ? (dequantizeOf(g, n.input?.[0])?.input?.[0] ?? undefined) : undefined;
}

const unused = (reason: string): Pick<ExplainModel, 'input' | 'rawInput'> => ({ input: null, rawInput: { kind: 'unused', reason } });

/**
 * The model's input use, from its graph input (the first one that is not an initializer) and its steps, each
 * with the node it was read from (`nodes[k]` is `steps[k]`'s).
 */
export function onnxInputUse(g: OnnxGraph, graphInput: onnxProto.onnx.IValueInfoProto | undefined, steps: readonly ModelStep[], nodes: readonly Node[]): Pick<ExplainModel, 'input' | 'rawInput'> {
  const name = graphInput?.name;
  if (!name) return unused('the graph has no input that is not an initializer');
  const consumers = g.consumers.get(name) ?? [];
  const quantize = consumers.find((n) => n.opType === 'QuantizeLinear');
  if (quantize) return { input: qparams(g, quantize.input?.[1], quantize.input?.[2], 'input') };
  const elem = graphInput.type?.tensorType?.elemType;
  const what = `the graph input ${name} (${typeName(elem)})`;
  const into = consumers.length ? `goes into ${[...new Set(consumers.map((n) => n.opType))].join(', ')}` : 'is read by no node';
  if (elem !== DT.UINT8 && elem !== DT.INT8) return unused(`${what} ${into}, not into a QuantizeLinear: explain takes a float input the model quantizes, or a uint8 / int8 input its first layer reads`);
  const first = steps[0];
  const x = quantizedX(g, nodes[0]);
  if (first?.kind !== 'conv2d' || x !== name) {
    const step = !first ? 'none' : first.kind === 'conv2d' ? `${first.name}, which reads ${x ?? 'another value'}` : first.kind === 'not_modelled' ? `${first.name}, ${first.opType}, not modelled` : `${first.name}, a ${first.kind === 'maxpool2d' ? 'MaxPool' : 'flatten'}`;
    return unused(`${what} ${into}, not straight into a layer explain models (the first step: ${step})`);
  }
  const dtype = elem === DT.UINT8 ? 'quint8' : 'qint8';
  if (first.x.dtype !== dtype) return unused(`${what} is read by ${first.name} as ${first.x.dtype} (the type of its x zero point)`);
  return { input: null, rawInput: { kind: 'integers', name, layer: first.name, x: first.x } };
}
