/**
 * What sits between two quantized layers of an ONNX model, read into steps of its own so that the chain carries ORT's
 * integers across it (explain_run.ts), never the layer before's unchanged:
 *   - DequantizeLinear -> QuantizeLinear and DequantizeLinear -> Relu -> QuantizeLinear, each node its predecessor's
 *     only consumer (a QOperator model's requantization between two QLinearConv; torch.onnx.export's torch ReLU module
 *     between two quantized layers): a requantize step, quantize(relu?(dequantize(q))) in ORT's float32 arithmetic
 *     (qdq_steps.ts), or not modelled with the reason;
 *   - a Relu on int8 integers (a QLinearConv's or QLinearMatMul's output): an int_relu step, max(q, 0), as ORT's
 *     Relu<int8_t> computes it. ONNX Relu takes int8 from Relu-14 (onnx/defs/math/defs.cc; Relu-6 and Relu-13 take float
 *     types only) and never uint8: ORT 1.30 refuses such a model when it loads it, and so does explain, quoting it;
 *   - any other Relu that is not a QDQ layer's own (Conv, Gemm or MatMul -> Relu -> QuantizeLinear, read with the layer:
 *     onnx_graph.ts outputQuantize): not modelled.
 * Before, all of them were skipped: the next layer read the previous one's integers unclamped and in the wrong scale
 * and zero point (252 of 256 outputs other than ORT's after DequantizeLinear -> Relu -> QuantizeLinear), and a
 * QLinearConv followed by Relu was taken as a fused ReLU clamping at the zero point, where ORT's int8 Relu clamps at 0.
 */
import { type ModelStep, ModelReadError } from './model_types.js';
import { DT, type Node, type OnnxGraph, UnmodelledTypeError, dequantizeQparams, elemType, quantDtypeOfType, quantizeQparams, typeText } from './onnx_graph.js';
import { dataTypeName } from './onnx_tensor.js';
import { OrtRefusedModelError } from './ort_refused_model.js';
import { requantizeOpType, requantizeTable } from './qdq_steps.js';

/** The node that reads value `name` as its input 0 and is its only consumer, else undefined. */
function onlyReader(g: OnnxGraph, name: string | undefined): Node | undefined {
  const c = name ? g.onlyConsumer(name) : undefined;
  return c && c.input?.[0] === name ? c : undefined;
}

/** The Relu (if any) and QuantizeLinear after DequantizeLinear `dq` when the three (or two) are a requantize group; else null. */
export function qdqGroup(g: OnnxGraph, dq: Node): { relu: Node | null; q: Node } | null {
  if (dq.opType !== 'DequantizeLinear' || g.consts.has(dq.input?.[0] ?? '')) return null;
  const next = onlyReader(g, dq.output?.[0]);
  if (next?.opType === 'QuantizeLinear') return { relu: null, q: next };
  if (next?.opType !== 'Relu') return null;
  const q = onlyReader(g, next.output?.[0]);
  return q?.opType === 'QuantizeLinear' ? { relu: next, q } : null;
}

/** A QDQ layer's Relu: the only consumer of a Conv, Gemm or MatMul (the layer reads it: onnx_graph.ts outputQuantize). */
function isLayerRelu(g: OnnxGraph, relu: Node): boolean {
  const p = g.producer.get(relu.input?.[0] ?? '');
  return ['Conv', 'Gemm', 'MatMul'].includes(p?.opType ?? '') && g.onlyConsumer(p!.output?.[0] ?? '') === relu;
}

function requantizeStep(g: OnnxGraph, dq: Node, group: { relu: Node | null; q: Node }, name: string): ModelStep {
  const opType = requantizeOpType(group.relu !== null);
  const notModelled = (reason: string): ModelStep => ({ kind: 'not_modelled', name, opType, reason });
  let from, to;
  try {
    // QuantizeLinear's output type: its zero point's, else its output_dtype, else uint8 (onnx_graph.ts quantizeQparams)
    to = quantizeQparams(g, group.q, 'QuantizeLinear y');
    if (typeof to === 'string') return notModelled(to);
    from = dequantizeQparams(g, dq, 'DequantizeLinear x');
  } catch (e) {
    // a computed or per-axis scale, or a zero point of another type than uint8 / int8: this group is not modelled (a
    // model ORT refuses is refused)
    if (e instanceof UnmodelledTypeError) return notModelled(e.message);
    if (e instanceof OrtRefusedModelError || !(e instanceof ModelReadError)) throw e;
    return notModelled(e.reason);
  }
  const inType = elemType(g, dq.input?.[0]);
  if (inType !== undefined && quantDtypeOfType(inType) !== from.dtype) return notModelled(`the DequantizeLinear reads ${typeText(inType)} with a ${from.dtype} zero point: explain models uint8 / int8 x of its zero point's type`);
  const t = requantizeTable(from, to, group.relu !== null);
  return 'notModelled' in t ? notModelled(t.notModelled) : { kind: 'requantize', name, from, to, relu: group.relu !== null, table: t.table };
}

/**
 * The step a DequantizeLinear or Relu node `n` is between layers, or null when it is none (a layer's own
 * DequantizeLinear or Relu, or the Relu of a requantize group, read at its DequantizeLinear). `opset`: the model's
 * ai.onnx opset.
 */
export function betweenLayersStep(g: OnnxGraph, n: Node, name: string, opset: number | undefined): ModelStep | null {
  if (n.opType === 'DequantizeLinear') {
    const group = qdqGroup(g, n);
    return group ? requantizeStep(g, n, group, name) : null;
  }
  const input = n.input?.[0] ?? '';
  const p = g.producer.get(input);
  if (isLayerRelu(g, n) || (p && qdqGroup(g, p)?.relu === n)) return null;
  const t = elemType(g, input);
  if (t === DT.UINT8 || (t === DT.INT8 && opset !== undefined && opset < 14)) {
    const type = dataTypeName(t).toLowerCase();
    throw new OrtRefusedModelError(g.path, `Relu node ${name} reads ${type} integers, which ONNX Relu${opset !== undefined ? ` at opset ${opset}` : ''} does not take (int8 from opset 14, uint8 never)`, `Type Error: Type 'tensor(${type})' of input parameter (${input}) of operator (Relu) in node (${n.name ?? ''}) is invalid.`);
  }
  if (t === DT.INT8) return { kind: 'int_relu', name };
  return { kind: 'not_modelled', name, opType: 'Relu', reason: 'a Relu is modelled on int8 integers, inside a QDQ layer (Conv, Gemm or MatMul -> Relu -> QuantizeLinear) or between DequantizeLinear and QuantizeLinear only' };
}
