/**
 * Which graph values an ONNX step reads and gives (model_types.ts GraphValues), so that explain's chain (explain_run.ts)
 * feeds a step only the integers of the value it reads. A value is named by the integer tensor it is: a step's input
 * is looked through the DequantizeLinear, Identity and same-type Cast nodes before it (the integers they pass on), and
 * a float op's output (a QDQ Conv, Gemm or MatMul; a MaxPool or Flatten between DequantizeLinear and QuantizeLinear) is
 * its QuantizeLinear's. Before, the chain fed each layer the integers of the step before it in node order, whatever it
 * read: on a branching graph whose qparams matched, a layer read another branch's integers.
 */
import { type GraphValues, type ModelStep, type StatedShape } from './model_types.js';
import { type Node, type OnnxGraph, attrInt, elemType, outputQuantize } from './onnx_graph.js';
import { qdqGroup } from './onnx_between_layers.js';

/** The integer value `name` is: looked back through DequantizeLinear, Identity, and a Cast to the type it casts from. */
export function integerValue(g: OnnxGraph, name: string): string {
  const seen = new Set<string>();
  while (!seen.has(name) && !g.consts.has(name)) {
    seen.add(name);
    const p = g.producer.get(name);
    const from = p?.input?.[0];
    if (!p || !from) break;
    const copies = p.opType === 'Identity' || p.opType === 'DequantizeLinear' || (p.opType === 'Cast' && elemType(g, from) !== undefined && attrInt(p, 'to', -1) === elemType(g, from));
    if (!copies) break;
    name = from;
  }
  return name;
}

/** Output `name`, or the output of the QuantizeLinear that is its only consumer. */
function quantizedOutput(g: OnnxGraph, name: string): string {
  const q = g.onlyConsumer(name);
  return q?.opType === 'QuantizeLinear' && q.input?.[0] === name ? (q.output?.[0] ?? name) : name;
}

/**
 * The values step `s`, read from node `n`, reads and gives; undefined for a step the chain does not run (not modelled).
 * A layer's also the shape the model states for what it reads (`statedShape`: onnx_value_shapes.ts), which it runs on
 * when it reads another branch.
 */
export function stepValues(g: OnnxGraph, n: Node, s: ModelStep, statedShape: (value: string) => StatedShape | undefined): GraphValues | undefined {
  const input = integerValue(g, n.input?.[0] ?? '');
  const out = n.output?.[0] ?? '';
  switch (s.kind) {
    case 'conv2d': {
      const float = ['Conv', 'Gemm', 'MatMul'].includes(n.opType ?? '');
      const inputShape = statedShape(input);
      return { input, output: float ? (outputQuantize(g, n)?.q.output?.[0] ?? out) : out, ...(inputShape ? { inputShape } : {}) };
    }
    case 'maxpool2d':
    case 'flatten':
      return { input, output: quantizedOutput(g, out) };
    case 'requantize':
      return { input, output: qdqGroup(g, n)?.q.output?.[0] ?? out };
    case 'int_relu':
      return { input, output: out };
    default:
      return undefined;
  }
}
