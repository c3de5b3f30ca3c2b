/**
 * The wire form of the ONNX quantization ops (docs/protocol.md, "ONNX quantization ops"): decode attrs and inputs,
 * call the implementation, encode the outputs. Imported by dispatch.ts, which routes these op names here.
 */
import { ONNX_QUANT_OP_NAMES, type DequantizeLinearArgs, type MsDequantizeLinearArgs, type MsQuantizeLinearArgs, type OnnxQuantOpName, type OnnxQuantOps, type QuantizeLinearArgs } from '../../contract/onnx_quant.js';
import { checkOnnxAttributes } from '../../contract/onnx_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from '../../contract/onnx_quant_attributes.js';
import type { IntTensor } from '../../contract/tensor.js';
import { expectInt } from '../../contract/wire.js';
import type { Attrs, Inputs, TypedOutputs } from './messages.js';

export function isOnnxQuantOpName(op: unknown): op is OnnxQuantOpName {
  return typeof op === 'string' && (ONNX_QUANT_OP_NAMES as readonly string[]).includes(op);
}

/** ONNX's attribute defaults: axis 1, block_size 0, saturate 1. */
const intOr = (a: Attrs, name: string, fallback: number) => a.optionalInt(name) ?? fallback;

function optionalInt(i: Inputs, name: string, op: string): IntTensor | null {
  const t = i.optional(name);
  return t === null ? null : expectInt(t, `${op}: inputs.${name}`);
}

export function decodeQuantizeLinear(op: string, a: Attrs, i: Inputs): QuantizeLinearArgs {
  return {
    x: i.f32('x'),
    yScale: i.f32('y_scale'),
    yZeroPoint: optionalInt(i, 'y_zero_point', op),
    dtype: a.str('dtype'),
    axis: intOr(a, 'axis', 1),
    blockSize: intOr(a, 'block_size', 0),
    saturate: intOr(a, 'saturate', 1),
  };
}

export function decodeDequantizeLinear(op: string, a: Attrs, i: Inputs): DequantizeLinearArgs {
  return { x: i.int('x'), xScale: i.f32('x_scale'), xZeroPoint: optionalInt(i, 'x_zero_point', op), axis: intOr(a, 'axis', 1), blockSize: intOr(a, 'block_size', 0) };
}

/** com.microsoft QuantizeLinear-1: axis only (evaluateOnnxQuant refuses any other attribute, as ORT's schema check does). */
export function decodeMsQuantizeLinear(op: string, a: Attrs, i: Inputs): MsQuantizeLinearArgs {
  return { x: i.f32('x'), yScale: i.f32('y_scale'), yZeroPoint: optionalInt(i, 'y_zero_point', op), axis: intOr(a, 'axis', 1) };
}

export function decodeMsDequantizeLinear(op: string, a: Attrs, i: Inputs): MsDequantizeLinearArgs {
  return { x: i.int('x'), xScale: i.f32('x_scale'), xZeroPoint: optionalInt(i, 'x_zero_point', op), axis: intOr(a, 'axis', 1) };
}

/** `raw` is the request's attrs object: every attribute is checked against the op's schema first, as ORT checks a model before it runs it. */
export function evaluateOnnxQuant(ops: OnnxQuantOps, op: OnnxQuantOpName, a: Attrs, i: Inputs, raw: Readonly<Record<string, unknown>>): TypedOutputs {
  checkOnnxAttributes(op, ONNX_QUANT_ATTRIBUTES[op], raw);
  if (op === 'quantize_linear@1') return { y: ops.quantizeLinear(decodeQuantizeLinear(op, a, i)) };
  if (op === 'dequantize_linear@1') return { y: ops.dequantizeLinear(decodeDequantizeLinear(op, a, i)) };
  if (op === 'ms_quantize_linear@1') return { y: ops.msQuantizeLinear(decodeMsQuantizeLinear(op, a, i)) };
  if (op === 'ms_dequantize_linear@1') return { y: ops.msDequantizeLinear(decodeMsDequantizeLinear(op, a, i)) };
  const r = ops.dynamicQuantizeLinear(i.f32('x'));
  return { y: r.y, y_scale: r.yScale, y_zero_point: r.yZeroPoint };
}
