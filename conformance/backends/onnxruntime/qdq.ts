/**
 * quantize_linear@1, dequantize_linear@1, dynamic_quantize_linear@1 (and the com.microsoft ms_quantize_linear@1,
 * ms_dequantize_linear@1) on ONNX Runtime (onnxruntime-node, CPU
 * execution provider, one thread, graph optimizations off so that the op's own kernel runs): each request becomes a
 * one-node model (qdq_model.ts), zero points in their own type. ORT computes whatever it is given (a NaN or zero scale
 * too); its refusals become error responses with the contract's codes where the rule is the same (ORT_QDQ_ERROR_RULES).
 * Attributes the op's schema refuses (contract/onnx_attributes.ts: an unknown name, a later opset's, a declared one of
 * another type) are put on the node as they are, so that ORT's own schema check refuses the model; only faults of the
 * wire form (a qconform attribute such as dtype, a value of no ONNX type) are refused here, by the contract's check.
 * A request with an integer outside its ONNX type (a zero point, DequantizeLinear's x: ort_int_range.ts) or with a dtype
 * that is no ONNX element type (quint8, which ORT could be given only as uint8, and so on: onnxType) is not run on ORT:
 * answered with the contract's first refusal, marked not_run (ort_not_given.ts). Reached through ORT_OPS
 * (onnxruntime_ops.ts), whose withoutKnownCrashes (ort_known_crashes.ts) keeps from ORT the requests known to kill its
 * process (an empty blocked QuantizeLinear, contract/qdq_ort_crash.ts).
 */
import { ONNX_INT_DTYPES, isOnnxIntDtype, type OnnxIntDtype } from '../../../contract/onnx_dtypes.js';
import { QconformError, formatValue, isQconformError } from '../../../contract/errors.js';
import { type IntTensor, f32Tensor, intTensor } from '../../../contract/tensor.js';
import { encodeTensor } from '../../../contract/wire.js';
import { ORT_ATTRIBUTE_REFUSAL } from '../../../contract/onnx_attributes.js';
import { ortAttributes } from './ort_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from '../../../contract/onnx_quant_attributes.js';
import type { OnnxQuantOpName } from '../../../contract/onnx_quant.js';
import type { Attrs, Inputs, WireOutputs, WireRequest, WireResponse } from '../../protocol/messages.js';
import { decodeRequest } from '../../protocol/request_fields.js';
import { decodeDequantizeLinear, decodeMsDequantizeLinear, decodeMsQuantizeLinear, decodeQuantizeLinear } from '../../protocol/onnx_quant_dispatch.js';
import { msDequantizeLinearAsOnnx, msQuantizeLinearAsOnnx } from '../../../contract/ms_qdq_checks.js';
import type { DequantizeLinearArgs, QuantizeLinearArgs } from '../../../contract/onnx_quant.js';
import type { OnnxAttr } from './one_node_model.js';
import type { OrtModule } from './qlinear_conv.js';
import { refuseOutsideElementType } from './ort_int_range.js';
import { NotGivenToOrt, answerNotGivenToOrt } from './ort_not_given.js';
import { CARRIER, type QdqDomain, dequantizeLinearModel, dynamicQuantizeLinearModel, quantizeLinearModel } from './qdq_model.js';

type OrtTensor = InstanceType<OrtModule['Tensor']>;
/** Attributes of a request the op's schema refuses (given to ORT as they are, which refuses the model). */
type Extra = readonly OnnxAttr[];
type IntArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

const TYPED: Record<'int8' | 'uint8' | 'int16' | 'uint16' | 'int32', { new (values: ArrayLike<number>): IntArray; from(values: ArrayLike<number>): IntArray }> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
};

/**
 * The ONNX element type of `dtype` (`what`). A dtype that is none (quint8, qint8, qint32, ...) cannot be given to ORT as
 * itself (quint8 only as uint8, another request): NotGivenToOrt, the request is not run on ORT.
 */
function onnxType(what: string, dtype: unknown, extra: Extra = []): OnnxIntDtype {
  if (isOnnxIntDtype(dtype)) return dtype;
  // a model with an undeclared attribute is refused by ORT whatever its types: build it with a stand-in type
  if (extra.length > 0) return 'uint8';
  throw new NotGivenToOrt(`a dtype the model cannot give ORT: ${what} ${formatValue(dtype)} is no ONNX element type (${ONNX_INT_DTYPES.join(', ')})`);
}

async function runModel(ort: OrtModule, bytes: Uint8Array, feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'disabled', logSeverityLevel: 4 });
  try {
    return (await session.run(feeds)) as Record<string, OrtTensor>;
  } finally {
    await session.release();
  }
}

const intOut = (dtype: OnnxIntDtype, y: OrtTensor) => intTensor(dtype, [...y.dims], Int32Array.from(y.data as IntArray));
const f32Out = (y: OrtTensor) => f32Tensor([...y.dims], Float32Array.from(y.data as Float32Array));

/** The zero point's own ONNX type (a stand-in, as onnxType, for a model ORT refuses for an undeclared attribute). */
function zeroPointType(what: string, zeroPoint: IntTensor | null, dtype: OnnxIntDtype, extra: Extra): OnnxIntDtype {
  return zeroPoint ? onnxType(`${what}.dtype`, zeroPoint.dtype, extra) : dtype;
}

async function runQuantizeLinear(ort: OrtModule, op: string, a: QuantizeLinearArgs, domain: QdqDomain, extra: Extra = []): Promise<WireOutputs> {
  const dtype = onnxType(`${op}: ${domain ? 'inputs.y_zero_point.dtype' : 'attrs.dtype'}`, a.dtype, extra);
  const zpType = zeroPointType(`${op}: inputs.y_zero_point`, a.yZeroPoint, dtype, extra);
  // ORT refuses a model with an undeclared attribute before it reads a value: let it (the values do not matter then)
  if (extra.length === 0) refuseOutsideElementType(`${op}: y_zero_point`, zpType, a.yZeroPoint?.data ?? null);
  const out = await runModel(ort, quantizeLinearModel(a, dtype, zpType, domain, extra), { x: new ort.Tensor('float32', Float32Array.from(a.x.data), [...a.x.shape]) });
  return { y: encodeTensor(intOut(dtype, out.y!)) };
}

async function runDequantizeLinear(ort: OrtModule, op: string, a: DequantizeLinearArgs, domain: QdqDomain, extra: Extra = []): Promise<WireOutputs> {
  const dtype = onnxType(`${op}: inputs.x.dtype`, a.x.dtype, extra);
  const zpType = zeroPointType(`${op}: inputs.x_zero_point`, a.xZeroPoint, dtype, extra);
  if (extra.length === 0) {
    refuseOutsideElementType(`${op}: x`, dtype, a.x.data);
    refuseOutsideElementType(`${op}: x_zero_point`, zpType, a.xZeroPoint?.data ?? null);
  }
  const carried = CARRIER[dtype] ?? (dtype as keyof typeof TYPED);
  const x = new ort.Tensor(carried, TYPED[carried].from(a.x.data as ArrayLike<number>) as Int8Array, [...a.x.shape]);
  const out = await runModel(ort, dequantizeLinearModel(a, dtype, zpType, domain, extra), { x });
  return { y: encodeTensor(f32Out(out.y!)) };
}

/**
 * The request decoded by `decode` from its attrs without those the op's schema refuses, and those as ONNX attributes
 * for ORT to refuse; a fault of the wire form alone (not ORT's) is refused here as the contract refuses it
 * (ort_attributes.ts), and so is a field the op does not take (decodeRequest), before ORT runs.
 */
function decoded<T>(r: WireRequest, decode: (op: string, a: Attrs, i: Inputs) => T): { args: T; extra: Extra } {
  const { kept, extra } = ortAttributes(r.op, ONNX_QUANT_ATTRIBUTES[r.op as OnnxQuantOpName], r.attrs ?? {});
  return { args: decodeRequest(r.op, kept, r.inputs, (a, i) => decode(r.op, a, i)), extra };
}

function quantizeLinear(ort: OrtModule, r: WireRequest): Promise<WireOutputs> {
  const { args, extra } = decoded(r, decodeQuantizeLinear);
  return runQuantizeLinear(ort, r.op, args, '', extra);
}

function dequantizeLinear(ort: OrtModule, r: WireRequest): Promise<WireOutputs> {
  const { args, extra } = decoded(r, decodeDequantizeLinear);
  return runDequantizeLinear(ort, r.op, args, '', extra);
}

/** com.microsoft QuantizeLinear-1 / DequantizeLinear-1: the same arguments with the schema's defaults (contract/ms_qdq_checks.ts). */
function msQuantizeLinear(ort: OrtModule, r: WireRequest): Promise<WireOutputs> {
  const { args, extra } = decoded(r, decodeMsQuantizeLinear);
  return runQuantizeLinear(ort, r.op, msQuantizeLinearAsOnnx(args), 'com.microsoft', extra);
}

function msDequantizeLinear(ort: OrtModule, r: WireRequest): Promise<WireOutputs> {
  const { args, extra } = decoded(r, decodeMsDequantizeLinear);
  return runDequantizeLinear(ort, r.op, msDequantizeLinearAsOnnx(args), 'com.microsoft', extra);
}

async function dynamicQuantizeLinear(ort: OrtModule, r: WireRequest): Promise<WireOutputs> {
  const { args: x, extra } = decoded(r, (_op, _a, i) => i.f32('x'));
  const out = await runModel(ort, dynamicQuantizeLinearModel(x.shape, extra), { x: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) });
  return { y: encodeTensor(intOut('uint8', out.y!)), y_scale: encodeTensor(f32Out(out.y_scale!)), y_zero_point: encodeTensor(intOut('uint8', out.y_zero_point!)) };
}

/** ORT's refusals (the ONNX schema's attribute check, PrepareForQDQ's ORT_ENFORCEs, HandleNegativeAxis, the ONNX checker's type constraints), as contract codes. */
const ORT_QDQ_ERROR_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // first: these messages quote the node, whose input names and the attribute's name match the later rules
  [ORT_ATTRIBUTE_REFUSAL, 'malformed_request'],
  [/IsAxisInRange|is not in valid range/, 'axis_out_of_range'],
  [/'block_size' must be non-negative/, 'invalid_integer'],
  [/block_size must be 0|blocked quantization|per axis quantization|must be null or a scalar|x_scale and x must|x_zero_point and x_scale|zero point must|same rank/i, 'shape_mismatch'],
  [/Type Error|output_dtype|type \(tensor|Could not find an implementation/i, 'invalid_dtype'],
];

function classify(message: string): string {
  return ORT_QDQ_ERROR_RULES.find(([p]) => p.test(message))?.[1] ?? 'backend_error';
}

const RUNNERS: Record<string, (ort: OrtModule, r: WireRequest) => Promise<WireOutputs>> = {
  'quantize_linear@1': quantizeLinear,
  'dequantize_linear@1': dequantizeLinear,
  'dynamic_quantize_linear@1': dynamicQuantizeLinear,
  'ms_quantize_linear@1': msQuantizeLinear,
  'ms_dequantize_linear@1': msDequantizeLinear,
};

/** Runs one wire request of the five ops through ORT (the OrtOpRunner shape); ORT's refusals become error responses. */
export async function ortQdq(ort: OrtModule, request: WireRequest): Promise<WireResponse> {
  try {
    const run = RUNNERS[request.op];
    if (!run) throw new QconformError('unknown_op', 'request.op', request.op);
    return { id: request.id, outputs: await run(ort, request) };
  } catch (e) {
    if (e instanceof NotGivenToOrt) return answerNotGivenToOrt(request, e);
    if (isQconformError(e)) return { id: request.id, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    return { id: request.id, error: { code: classify(message), message } };
  }
}

