/**
 * How an ONNX model's graph input reaches the chain `qconform explain` runs (onnx_model.ts):
 *   - a float input that a QuantizeLinear consumes: the model quantizes the user's floats (ExplainModel.input);
 *   - a uint8 / int8 input that the first layer reads as its x, itself (QLinearConv, QLinearMatMul) or through a
 *     DequantizeLinear (a QDQ Conv, Gemm or MatMul): the user's integers are that layer's input, in its x qparams
 *     (IntegerGraphInput; integer_input.ts). ONNX gives x and x_zero_point one type (onnx/defs/nn/defs.cc
 *     QLinearConv-10 T1, onnx/defs/math/defs.cc QLinearMatMul-10 T1, DequantizeLinear's T; a DequantizeLinear
 *     without a zero point reads x in x's own type: onnx_graph.ts dequantizeQparams). Before the layer the
 *     integers may pass through what explain carries exactly on them (carriedTo): Identity, a Cast to their own
 *     type, and the chain's MaxPool, Flatten and int8 Relu steps (a requantization, DequantizeLinear -> QuantizeLinear,
 *     changes the qparams: the graph input is then not the layer's x, and explain does not take it);
 *   - anything else: why no input reaches a modelled layer (an --input is refused: input_reach.ts), a graph input
 *     declared of rank 0 among them (onnx_scalar_input.ts, which refuses the models ORT refuses for it).
 */
import type onnxProto from 'onnx-proto';
import type { ExplainModel, ModelStep } from './model_types.js';
import { DT, type Node, type OnnxGraph, attrInt, dequantizeOf, quantizeQparams } from './onnx_graph.js';
import { scalarInputReason } from './onnx_scalar_input.js';

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

const unused = (reason: string): Pick<ExplainModel, 'input' | 'rawInput' | 'inputValue'> => ({ input: null, rawInput: { kind: 'unused', reason } });

/** The steps the chain carries the integers through (explain_run.ts) that change no value's scale or zero point (an int8 Relu clamps at 0 only). */
const isCarriedStep = (s: ModelStep | undefined) => s?.kind === 'maxpool2d' || s?.kind === 'flatten' || s?.kind === 'int_relu';

/**
 * The value a uint8 / int8 graph input `name` (of ONNX type `elem`) becomes through the ops explain carries exactly
 * on its integers, each the only consumer of the value before it, and the nodes passed:
 *   - Identity, a copy (onnxruntime/core/providers/cpu/tensor/identity_op.h);
 *   - Cast to `elem` itself, a copy (onnxruntime/core/providers/cpu/tensor/cast_op.cc Cast::Compute, from == to);
 *     a Cast to another type changes values (uint8 200 is int8 -56) and stops here;
 *   - an int8 Relu the chain reads as an int_relu step (onnx_between_layers.ts: max(q, 0), ORT's Relu-14 on int8);
 *   - a MaxPool or Flatten / Reshape that the chain reads as a maxpool2d or flatten step: ORT's MaxPool-12 takes
 *     uint8 and int8 (onnxruntime/core/providers/cpu/nn/pool.h MaxPoolV8) and takes each window's max from the
 *     type's lowest value over its in-bounds elements (pool_functors.h MaxPool2DTask), in the integer domain, as
 *     max_pool.ts does;
 *     Flatten and Reshape keep the elements in C order (nn/flatten.h, tensor/reshape.h), as the flatten step does;
 *   - a QDQ MaxPool, DequantizeLinear -> MaxPool -> QuantizeLinear, that the chain reads as a maxpool2d step (one x
 *     and output qparams, no requantization: onnx_model.ts): ORT 1.30's QDQ transformer drops the pair and runs the
 *     MaxPool on the integers (qdq_selector_action_transformer.cc DropQDQNodesRules, "MaxPool" opset 12, with
 *     qdq_selectors.cc DropQDQNodeGroupSelector: one type in and out, equal constant scalar scales and zero points, a
 *     positive scale). Without the fusion (another scale), explain lists a requantizing MaxPool as not modelled.
 */
function carriedTo(g: OnnxGraph, name: string, elem: number, steps: readonly ModelStep[], nodes: readonly Node[]): { value: string; passed: Node[] } {
  let value = name;
  const passed: Node[] = [];
  const seen = new Set([name]);
  for (;;) {
    const n = g.onlyConsumer(value);
    if (!n || n.input?.[0] !== value) break;
    const copy = n.opType === 'Identity' || (n.opType === 'Cast' && attrInt(n, 'to', -1) === elem);
    const group = copy ? null : qdqMaxPool(g, n, steps, nodes);
    if (!copy && !group && !isCarriedStep(steps[nodes.indexOf(n)])) break;
    const out = group ? group.q.output?.[0] : n.output?.[0];
    if (!out || seen.has(out)) break; // a cycle (an ONNX graph must be acyclic): the layer is not reached
    seen.add(out);
    passed.push(...(group ? [n, group.pool, group.q] : [n]));
    value = out;
  }
  return { value, passed };
}

/**
 * The MaxPool and QuantizeLinear after DequantizeLinear `dq` when the three are a QDQ MaxPool the chain carries: the
 * MaxPool is dq's only consumer and a maxpool2d step (onnx_model.ts reads it so only when its QuantizeLinear keeps
 * dq's qparams), and the QuantizeLinear is the MaxPool's only consumer; else null.
 */
function qdqMaxPool(g: OnnxGraph, dq: Node, steps: readonly ModelStep[], nodes: readonly Node[]): { pool: Node; q: Node } | null {
  if (dq.opType !== 'DequantizeLinear') return null;
  const pool = g.onlyConsumer(dq.output?.[0] ?? '');
  if (!pool || pool.input?.[0] !== dq.output?.[0] || steps[nodes.indexOf(pool)]?.kind !== 'maxpool2d') return null;
  const q = g.onlyConsumer(pool.output?.[0] ?? '');
  return q?.opType === 'QuantizeLinear' && q.input?.[0] === pool.output?.[0] ? { pool, q } : null;
}

/** How a step is named in a refusal. */
function stepText(g: OnnxGraph, step: ModelStep | undefined, node: Node | undefined): string {
  if (!step) return 'none';
  if (step.kind === 'conv2d') return `${step.name}, which reads ${quantizedX(g, node) ?? 'another value'}`;
  if (step.kind === 'not_modelled') return `${step.name}, ${step.opType}, not modelled`;
  return `${step.name}, a ${{ maxpool2d: 'MaxPool', flatten: 'flatten', reshape: 'reshape', requantize: 'requantization (DequantizeLinear -> QuantizeLinear)', int_relu: 'Relu on int8', relu: 'ReLU', stub_requantize: 'requantization (DeQuantStub -> QuantStub)', quantized_add: 'quantized add', quantized_mul: 'quantized mul', hard_activation: 'hardswish or hardsigmoid', quantized_cat: 'quantized cat', adaptive_avg_pool2d: 'adaptive average pool', avg_pool2d: 'average pool', channel_gather: 'channel move', quantized_mean: 'mean' }[step.kind]}`;
}

/**
 * The model's input use, from its graph input (the first one that is not an initializer) and its steps, each
 * with the node it was read from (`nodes[k]` is `steps[k]`'s).
 */
export function onnxInputUse(g: OnnxGraph, graphInput: onnxProto.onnx.IValueInfoProto | undefined, steps: readonly ModelStep[], nodes: readonly Node[]): Pick<ExplainModel, 'input' | 'rawInput' | 'inputValue'> {
  const name = graphInput?.name;
  if (!name) return unused('the graph has no input that is not an initializer');
  // a scalar: refused where ORT refuses it, else no input explain's chain carries
  const scalar = scalarInputReason(g, graphInput);
  if (scalar) return unused(scalar);
  const consumers = g.consumers.get(name) ?? [];
  const quantize = consumers.find((n) => n.opType === 'QuantizeLinear');
  if (quantize) {
    const input = quantizeQparams(g, quantize, 'input');
    return typeof input === 'string' ? unused(`the graph input ${name} goes into a QuantizeLinear: ${input}`) : { input, inputValue: quantize.output?.[0] ?? '' };
  }
  const elem = graphInput.type?.tensorType?.elemType;
  const what = `the graph input ${name} (${typeName(elem)})`;
  const into = consumers.length ? `goes into ${[...new Set(consumers.map((n) => n.opType))].join(', ')}` : 'is read by no node';
  if (elem !== DT.UINT8 && elem !== DT.INT8) return unused(`${what} ${into}, not into a QuantizeLinear: explain takes a float input the model quantizes, or a uint8 / int8 input its first layer reads`);
  const { value, passed } = carriedTo(g, name, elem, steps, nodes);
  // the chain runs every step from the first: the steps passed must be all the steps before the layer
  const stepsPassed = passed.filter((n) => nodes.includes(n));
  let k = 0;
  while (k < stepsPassed.length && nodes[k] === stepsPassed[k]) k++;
  const first = steps[k];
  if (k < stepsPassed.length || first?.kind !== 'conv2d' || quantizedX(g, nodes[k]) !== value) {
    return unused(`${what} ${into}, not into a layer explain models, directly or through ops it carries exactly on the integers (Identity, a Cast to ${typeName(elem)}, MaxPool, Flatten): the first step it does not pass is ${stepText(g, first, nodes[k])}`);
  }
  const dtype = elem === DT.UINT8 ? 'quint8' : 'qint8';
  if (first.x.dtype !== dtype) return unused(`${what} is read by ${first.name} as ${first.x.dtype} (the type of its x zero point)`);
  const through = passed.map((n) => (nodes.includes(n) ? steps[nodes.indexOf(n)]!.name : n.name || n.opType || 'a node'));
  return { input: null, rawInput: { kind: 'integers', name, layer: first.name, x: first.x, through }, inputValue: name };
}
