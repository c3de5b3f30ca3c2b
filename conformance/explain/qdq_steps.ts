/**
 * The arithmetic of the two ONNX steps `qconform explain` carries between quantized layers (read by
 * onnx_between_layers.ts), on the chain's integers and on the fake-quant model's floats beside them:
 *   - requantize, DequantizeLinear -> [Relu] -> QuantizeLinear, as ONNX Runtime 1.30 runs the three nodes:
 *     DequantizeLinear (onnxruntime/core/providers/cpu/quantization/quantize_linear.cc DequantizeLinearApply: the
 *     difference q - zp in int32, converted to float32, one float32 product), Relu on float32 (core/providers/cpu/
 *     activation/activations.h functors::Relu, cwiseMax(0)), QuantizeLinear (MlasQuantizeLinear, core/mlas/lib/
 *     quantize.cpp: a float32 division, the clamp in float, cvtps2dq half to even, + zp). Its input is one byte, so
 *     the 256 outputs are tabulated once by the exact reference: reference/onnx/qlinear_lookup.ts lookupTable, which
 *     is that dequantize / f / quantize on reference/ops/quantize_linear.ts;
 *   - int_relu, Relu on int8 (activations.cc registers Relu-14 for int8_t; cwiseMax(0) on the integers): max(q, 0),
 *     integer domain, whatever the zero point (measured on onnxruntime-node 1.30: -128..127 -> 0..127).
 * And the QuantizeLinear of the model's float input that starts the chain (onnxQuantizeInput).
 */
import { floatRelu } from './quantized_relu.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { type F32Tensor, type IntTensor, f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { ieeeLess } from '../../reference/exact/ieee_compare.js';
import { codeOfByte, lookupTable } from '../../reference/onnx/qlinear_lookup.js';
import { ZERO_F32 } from '../../reference/constants.js';
import type { ActivationQparams, RequantizeStep } from './model_types.js';

/**
 * An ONNX model's QuantizeLinear of its float input, as ORT 1.30 computes it (impl's quantize_linear, the twin of
 * reference/ops/quantize_linear.ts: MlasQuantizeLinear's float32 division, clamp in float, cvtps2dq half to even, + zp),
 * in the chain's dtype names. Not torch's quantize_per_tensor, which multiplies by f32(1 / scale): the two part at
 * ties and near them (measured on onnxruntime-node 1.30, tests/explain/onnx_input_quantize.test.ts).
 */
export function onnxQuantizeInput(x: F32Tensor, q: ActivationQparams): IntTensor {
  const dtype = q.dtype === 'qint8' ? 'int8' : 'uint8';
  const y = impl.quantizeLinear({ x, yScale: f32Tensor([], [q.scale]), yZeroPoint: intTensor(dtype, [], [q.zeroPoint]), dtype, axis: 1, blockSize: 0, saturate: 1 });
  return intTensor(q.dtype, y.shape, Int32Array.from(y.data));
}

/** How a requantize step's nodes are named (DequantizeLinear -> [Relu ->] QuantizeLinear): in the table, and where it is listed as not modelled. */
export const requantizeOpType = (relu: boolean): string => `DequantizeLinear -> ${relu ? 'Relu -> ' : ''}QuantizeLinear`;

/** One scale, zero point and dtype: the same quantized values. */
export function sameQparams(a: ActivationQparams, b: ActivationQparams): boolean {
  return a.scale === b.scale && a.zeroPoint === b.zeroPoint && a.dtype === b.dtype;
}

export const qparamsText = (q: ActivationQparams): string => `scale ${q.scale}, zero point ${q.zeroPoint}, ${q.dtype}`;

/**
 * The requantize step's table: the output integer for each input byte, or why it is not modelled. ORT's graph
 * optimizations (on by default) may run the group in another form: ReluQuantTransformer drops a Relu before a
 * QuantizeLinear whose zero point is its type's lowest (onnxruntime/core/optimizer/qdq_transformer/
 * relu_quantizelinear.cc), and QDQFinalCleanupTransformer removes a DequantizeLinear -> QuantizeLinear pair of one
 * scale and zero point, so the integers pass unchanged (qdq_final_cleanup.cc, DQ_Q). The table is taken only when every
 * form ORT may run gives it, which they do but at scales near float32's ends: measured on onnxruntime-node 1.30, a
 * uint8 pair of scale 3e38 and zero point 100 passes the integers unchanged with graph optimizations and changes 251 of
 * them without (f32(q - zp) * 3e38 overflows to +-inf, which QuantizeLinear saturates).
 */
export function requantizeTable(from: ActivationQparams, to: ActivationQparams, relu: boolean): { table: number[] } | { notModelled: string } {
  for (const [what, s] of [['DequantizeLinear', from.scale], ['QuantizeLinear', to.scale]] as const) {
    if (!(Number.isFinite(s) && s > 0)) return { notModelled: `the ${what} scale ${s} is not modelled (a finite scale above 0 only)` };
  }
  const [x, y] = [from.dtype, to.dtype];
  if ((x !== 'quint8' && x !== 'qint8') || (y !== 'quint8' && y !== 'qint8')) return { notModelled: `${x} -> ${y} is not modelled (uint8 / int8 only)` };
  const p = { dtype: x, xScale: from.scale, xZeroPoint: from.zeroPoint, yScale: to.scale, yZeroPoint: to.zeroPoint };
  const table = lookupTable(p, (d) => (relu ? d.map((v) => (ieeeLess(v, ZERO_F32) ? ZERO_F32 : v)) : [...d]), y);
  const forms: [string, number[]][] = [];
  const reluDropped = relu && to.zeroPoint === DTYPE_RANGE[to.dtype].min;
  if (reluDropped) forms.push(['without the Relu (relu_quantizelinear.cc)', lookupTable(p, (d) => [...d], y)]);
  if ((!relu || reluDropped) && sameQparams(from, to)) forms.push(['the integers unchanged (qdq_final_cleanup.cc)', Array.from({ length: 256 }, (_, i) => codeOfByte(i, x))]);
  for (const [form, other] of forms) {
    const differing = other.filter((v, i) => v !== table[i]).length;
    if (differing) return { notModelled: `ONNX Runtime's graph optimizations decide its integers: run as written it gives ${differing} of the 256 inputs other integers than ${form}, which it runs with graph optimizations on` };
  }
  return { table };
}

/** A requantize step on the chain: each integer through the table; the fake-quant floats through Relu and fake quantization to the step's output qparams. */
export function requantizeChain(step: RequantizeStep, xq: IntTensor, xf: F32Tensor | null): { xq: IntTensor; xf: F32Tensor | null } {
  const out = intTensor(step.to.dtype, xq.shape, Array.from(xq.data, (v) => step.table[v & 0xff]!));
  if (!xf) return { xq: out, xf: null };
  const r = DTYPE_RANGE[step.to.dtype];
  const v = step.relu ? floatRelu(xf) : xf;
  return { xq: out, xf: impl.fakeQuantizePerTensorAffine(v, { scale: step.to.scale, zeroPoint: step.to.zeroPoint, quantMin: r.min, quantMax: r.max }) };
}

/** An int8 Relu on the chain: max(q, 0); the fake-quant floats (in qparams q) kept at or above integer 0's value, f32((0 - zp) * scale). */
export function integerReluChain(xq: IntTensor, xf: F32Tensor | null, q: ActivationQparams): { xq: IntTensor; xf: F32Tensor | null } {
  const out = intTensor(xq.dtype, xq.shape, Array.from(xq.data, (v) => Math.max(v, 0)));
  if (!xf) return { xq: out, xf: null };
  const zero = impl.dequantizePerTensor(intTensor(q.dtype, [1], [0]), { scale: q.scale, zeroPoint: q.zeroPoint }).data[0]!;
  return { xq: out, xf: f32Tensor(xf.shape, Array.from(xf.data, (x) => (x < zero ? zero : x))) };
}
