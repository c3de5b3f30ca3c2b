/**
 * The shape an ONNX model states for a graph value, for a layer explain runs on generated data because it reads another
 * value than the one whose integers the chain holds (another branch: explain_run.ts), so that it runs on data of the
 * shape ORT runs it on: looked back through the ops that keep their input's shape (QuantizeLinear, DequantizeLinear,
 * Identity, Cast, Relu) to
 *   - the graph input explain runs: its shape in this run (the --input's, --shape's, or the generated one);
 *   - another graph input: its declared shape, when every dim is a size;
 *   - a value_info declaring the value's shape (what ONNX shape inference writes), when every dim is a size.
 * A value a step explain runs gives is known by its run (explain_run.ts), before any of these. Before, such a layer ran
 * on generated data of the chain's H and W, whatever the value it reads (a branch before the chain's MaxPool, a second
 * graph input of its own size: another output size than ORT's).
 */
import type onnxProto from 'onnx-proto';
import type { StatedShape } from './model_types.js';
import type { OnnxGraph } from './onnx_graph.js';
import { num } from './onnx_tensor.js';

/** Ops whose output has their input 0's shape. */
const SAME_SHAPE = new Set(['QuantizeLinear', 'DequantizeLinear', 'Identity', 'Cast', 'Relu']);

/** The dims `info` declares when every one is a size (dim_value >= 1), else undefined. */
function declaredDims(info: onnxProto.onnx.IValueInfoProto | undefined): number[] | undefined {
  const dims = info?.type?.tensorType?.shape?.dim?.map((d) => (d.dimValue !== undefined && d.dimValue !== null ? num(d.dimValue) : 0));
  return dims?.length && dims.every((d) => d >= 1) ? dims : undefined;
}

/**
 * The shapes the model states (above): `runInput` is the graph input explain runs; `graph` gives the graph inputs and
 * value_info.
 */
export function statedShapes(g: OnnxGraph, graph: onnxProto.onnx.IGraphProto, runInput: string | undefined): (value: string) => StatedShape | undefined {
  const inputs = new Map((graph.input ?? []).map((i) => [i.name ?? '', i]));
  const valueInfo = new Map((graph.valueInfo ?? []).map((i) => [i.name ?? '', i]));
  return (value: string) => {
    const seen = new Set<string>();
    let name = value;
    while (!seen.has(name)) {
      seen.add(name);
      if (name === runInput) return { kind: 'run_input' };
      const dims = (inputs.has(name) ? declaredDims(inputs.get(name)) : undefined) ?? declaredDims(valueInfo.get(name));
      if (dims) return { kind: 'declared', dims };
      const p = g.producer.get(name);
      if (!p || !SAME_SHAPE.has(p.opType ?? '') || !p.input?.[0]) return undefined;
      name = p.input[0];
    }
    return undefined;
  };
}
