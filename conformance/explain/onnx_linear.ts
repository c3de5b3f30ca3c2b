/**
 * ONNX linear layers for `qconform explain`, read as 1x1 convs over the rows (linear_layer.ts) under ORT's
 * onnxruntime@1 arithmetic:
 *   - QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp) (onnx/defs/math/defs.cc QLinearMatMul-10;
 *     ORT quantize_linear_matmul.cc): int32 sum, f32(f32(a_scale * b_scale[c]) / y_scale), MlasRequantizeOutput,
 *     which is QLinearConv's requantization (reference/onnx/qlinear_matmul.ts, qlinear_output.ts); no bias;
 *   - QDQ: DequantizeLinear(a) and DequantizeLinear(constant b) into a float MatMul, or into a Gemm with an
 *     optional bias C (DequantizeLinear of int32, or float32), then an optional Relu and QuantizeLinear: what ORT's
 *     QDQ transformer fuses into QLinearMatMul / com.microsoft QGemm (qdq_selector_action_transformer.cc MatMul and
 *     Gemm rules), and what torch.onnx.export writes for a torch 1.13 quantized Linear. QGemm with alpha 1 is
 *     QLinearConv's arithmetic with the int32 bias added to the sum (reference/onnx/qgemm.ts).
 * The weight must be a constant 2-D int8 tensor with one scale or one per output column. Anything else is
 * listed as not modelled, with the reason.
 */
import { type ConvLayer, type ModelStep } from './model_types.js';
import { DT, type Node, type OnnxGraph, UnmodelledTypeError, attr, attrInt, checkQLinearTypes, dequantizeOf, dequantizeQparams, outputQuantize, qparams, quantizeQparams, unfusedQdqProblem } from './onnx_graph.js';
import { type Const, dataTypeName } from './onnx_tensor.js';
import { linearAsConv, transposedWeight } from './linear_layer.js';

export const LINEAR_OPS = new Set(['QLinearMatMul', 'MatMulInteger', 'Gemm', 'MatMul']);

/** A reason the layer is not modelled (its message is the console's NOT MODELLED text). */
class NotModelled extends Error {}

/** The int8 weight [OC, F] from a constant 2-D B, stored [F, OC] (MatMul, Gemm without transB) or [OC, F]. */
function weightOf(b: Const, transposed: boolean, scales: Const, zps: Const | undefined): Pick<ConvLayer, 'weight' | 'weightQuantization' | 'weightScales' | 'weightZeroPoints'> & { shape: [number, number] } {
  if (b.dataType !== DT.INT8) throw new NotModelled(`${dataTypeName(b.dataType).toLowerCase()} weights are not modelled (int8 weights only)`);
  if (b.dims.length !== 2) throw new NotModelled(`a ${b.dims.length}-d weight is not modelled (a constant 2-d B only)`);
  const [oc, features] = transposed ? [b.dims[0]!, b.dims[1]!] : [b.dims[1]!, b.dims[0]!];
  const k = scales.values.length;
  if (k !== 1 && k !== oc) throw new NotModelled(`${k} weight scales for ${oc} output columns are not modelled (one per tensor or one per column)`);
  const zp = zps?.values.length ? zps.values : new Array<number>(k).fill(0);
  if (zp.length !== k) throw new NotModelled(`${zp.length} weight zero points for ${k} scales`);
  return {
    shape: [oc, features],
    weight: transposed ? Int32Array.from(b.values) : transposedWeight(b.values, features, oc),
    weightQuantization: k === 1 ? 'per_tensor' : 'per_channel',
    weightScales: scales.values,
    weightZeroPoints: zp,
  };
}

/** B must be a constant: a product of two activations (attention) is no layer with weights. */
function constantB(g: OnnxGraph, name: string | undefined, op: string): Const {
  if (!name || !g.consts.has(name)) throw new NotModelled(`a ${op} whose B is not a constant (a product of two activations) is not modelled`);
  return g.constant(name, `${op} B`);
}

function qlinearMatMul(g: OnnxGraph, n: Node, name: string): ConvLayer {
  const i = n.input ?? [];
  checkQLinearTypes(g, n, name);
  const b = constantB(g, i[3], 'QLinearMatMul');
  const { shape, ...w } = weightOf(b, false, g.constant(i[4], 'b_scale'), g.constant(i[5], 'b_zero_point'));
  return linearAsConv({ name, source: 'QLinearMatMul', framework: 'onnx', x: qparams(g, i[1], i[2], 'a'), y: qparams(g, i[6], i[7], 'y'), weightShape: shape, ...w, bias: null, relu: false });
}

function qdqLinear(g: OnnxGraph, n: Node, name: string): ConvLayer {
  const op = n.opType ?? '';
  const [aIn, bIn, cIn] = n.input ?? [];
  const dqa = dequantizeOf(g, aIn);
  const dqb = dequantizeOf(g, bIn);
  const out = outputQuantize(g, n);
  if (!dqa || !dqb || !out) throw new NotModelled(`a float ${op} without DequantizeLinear on both inputs and QuantizeLinear on its output is not modelled`);
  let transB = false;
  if (op === 'Gemm') {
    const alpha = attr(n, 'alpha')?.f ?? 1;
    const beta = attr(n, 'beta')?.f ?? 1;
    if (attrInt(n, 'transA', 0) !== 0) throw new NotModelled('Gemm with transA is not modelled');
    if (alpha !== 1 || (cIn && beta !== 1)) throw new NotModelled(`Gemm with alpha ${alpha}, beta ${beta} is not modelled (1 and 1 only)`);
    transB = attrInt(n, 'transB', 0) === 1;
  }
  const b = constantB(g, dqb.input?.[0], op);
  const { shape, ...w } = weightOf(b, transB, g.constant(dqb.input?.[1], 'b scale'), dqb.input?.[2] ? g.constant(dqb.input[2], 'b zero point') : undefined);
  let bias: ConvLayer['bias'] = null;
  if (cIn) {
    const dqc = dequantizeOf(g, cIn);
    bias = dqc ? { kind: 'int32', values: g.constant(dqc.input?.[0], 'bias').values } : { kind: 'float32', values: g.constant(cIn, 'bias').values.map(Math.fround) };
    if (bias.values.length !== shape[0]) throw new NotModelled(`a bias C of ${bias.values.length} values for ${shape[0]} outputs is not modelled (one per output column)`);
  }
  const x = dequantizeQparams(g, dqa, 'a');
  const y = quantizeQparams(g, out.q, 'y');
  if (typeof y === 'string') throw new NotModelled(y);
  const unfused = unfusedQdqProblem(op, x, y);
  if (unfused) throw new NotModelled(unfused);
  return linearAsConv({
    name,
    source: `QDQ ${op}${out.relu ? ' + Relu' : ''}`,
    framework: 'onnx',
    x,
    y,
    weightShape: shape,
    ...w,
    bias,
    relu: out.relu,
  });
}

const NOT_READ: Record<string, string> = {
  MatMulInteger: "MatMulInteger's int32 output is not requantized: explain analyses requantized layers (QLinearMatMul, QLinearConv and their QDQ forms)",
};

/** One of LINEAR_OPS as a linear layer, or listed as not modelled with the reason. */
export function linearStep(g: OnnxGraph, n: Node, name: string): ModelStep {
  const op = n.opType ?? '';
  try {
    if (NOT_READ[op]) throw new NotModelled(NOT_READ[op]);
    return op === 'QLinearMatMul' ? qlinearMatMul(g, n, name) : qdqLinear(g, n, name);
  } catch (e) {
    if (!(e instanceof NotModelled) && !(e instanceof UnmodelledTypeError)) throw e;
    return { kind: 'not_modelled', name, opType: op, reason: e.message };
  }
}
