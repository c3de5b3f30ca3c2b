/**
 * quantized_conv2d@1 on ONNX Runtime (onnxruntime-node, CPU execution provider, one intra-op thread):
 * the scheme onnxruntime@1 only. Int32 bias, no fused ReLU (QLinearConv has none: a request it cannot compute is not
 * run on ORT, refuseWhatQLinearConvCannotCompute). The request's `accumulator` attribute is not an input to ORT: which
 * accumulator its MLAS kernels follow on a CPU is ort_accumulator.ts.
 */
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { decodeConvArgs, isConvOpName } from '../../protocol/conv_dispatch.js';
import { decodeRequest } from '../../protocol/request_fields.js';
import type { Conv2dArgs } from '../../../contract/conv.js';
import { encodeTensor } from '../../../contract/wire.js';
import { DTYPE_RANGE } from '../../../contract/dtypes.js';
import { QconformError, isQconformError } from '../../../contract/errors.js';
import { type IntTensor, intTensor } from '../../../contract/tensor.js';
import { refuseOutsideElementType } from './ort_int_range.js';
import { NotGivenToOrt, answerNotGivenToOrt } from './ort_not_given.js';
import { qlinearConvModel } from './qlinear_conv_model.js';

export type OrtModule = typeof import('onnxruntime-node');

/** The dtype `what` the model cannot carry as itself (it carries `carries`): not given to ORT. */
function dtypeNotCarried(what: string, dtype: string, carries: string): NotGivenToOrt {
  return new NotGivenToOrt(`a dtype the model cannot give ORT: quantized_conv2d: ${what} ${dtype} (the one-node QLinearConv carries ${carries})`);
}

/**
 * What the model cannot carry: x of another dtype than quint8 / qint8 (ONNX uint8 / int8: a uint8 x would reach ORT as
 * quint8's, an int8 one as uint8), a weight other than qint8 (ONNX int8: a quint8 one would reach ORT as int8), a bias
 * other than int32 (QLinearConv's B; qlinear_conv_model.ts); and an integer outside its element type (x, the weight and
 * the zero points would reach ORT wrapped): the request is not run on ORT, answered with the contract's first refusal
 * (ort_not_given.ts, ort_int_range.ts).
 */
function refuseWhatOrtCannotBeGiven(a: Conv2dArgs): void {
  if (a.x.dtype !== 'quint8' && a.x.dtype !== 'qint8') throw dtypeNotCarried('x', a.x.dtype, 'x as quint8 or qint8 only');
  if (a.weight.dtype !== 'qint8') throw dtypeNotCarried('weight', a.weight.dtype, 'the weight as qint8 only');
  if (a.bias && a.bias.dtype !== 'int32') throw dtypeNotCarried('bias', a.bias.dtype, 'an int32 bias only');
  const x = a.x.dtype === 'qint8' ? 'int8' : 'uint8';
  refuseOutsideElementType('quantized_conv2d: x', x, a.x.data);
  refuseOutsideElementType('quantized_conv2d: weight', 'int8', a.weight.data);
  refuseOutsideElementType('quantized_conv2d: x_zero_point', x, [a.xZeroPoint]);
  refuseOutsideElementType('quantized_conv2d: y_zero_point', x, [a.yZeroPoint]);
  refuseOutsideElementType('quantized_conv2d: weight_zero_points', 'int8', a.weightZeroPoints.data);
}

/** A request the one-node QLinearConv does not compute (`why`), decided from the request: not given to ORT. */
function notComputedByQLinearConv(why: string): NotGivenToOrt {
  return new NotGivenToOrt(`a conv QLinearConv does not compute: quantized_conv2d: ${why}`);
}

/**
 * What the one-node QLinearConv does not compute, decided from the request before a session (after
 * refuseWhatOrtCannotBeGiven, so x's dtype is quint8 / qint8 and y_zero_point within it): another scheme than
 * onnxruntime@1 (ORT's requantization is that scheme), and relu with y_zero_point above the dtype's minimum. ONNX's
 * QLinearConv has no activation, and ORT 1.30's kernel (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc)
 * requantizes with MlasRequantizeOutput to the output type's whole range; relu's clamp [max(qmin, y_zero_point), qmax]
 * (contract/conv_checks.ts) is that range when y_zero_point is the minimum, so such a relu runs on ORT as it is. The
 * request is answered with the contract's first refusal, not run on ORT (ort_not_given.ts); the adapter had answered
 * these itself (unknown_scheme, unsupported_by_scheme), as if ORT had refused.
 */
function refuseWhatQLinearConvCannotCompute(a: Conv2dArgs): void {
  if (a.scheme !== 'onnxruntime@1') throw notComputedByQLinearConv(`scheme ${a.scheme} (ORT computes onnxruntime@1 only)`);
  const dtype = a.x.dtype as 'quint8' | 'qint8';
  const min = DTYPE_RANGE[dtype].min;
  if (a.relu && a.yZeroPoint !== min) throw notComputedByQLinearConv(`relu with y_zero_point ${a.yZeroPoint} above the ${dtype} minimum ${min} (QLinearConv has no fused ReLU)`);
}

async function run(ort: OrtModule, a: Conv2dArgs): Promise<IntTensor> {
  refuseWhatOrtCannotBeGiven(a);
  refuseWhatQLinearConvCannotCompute(a);
  const session = await ort.InferenceSession.create(qlinearConvModel(a), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', logSeverityLevel: 4 });
  try {
    const data = a.x.dtype === 'qint8' ? Int8Array.from(a.x.data) : Uint8Array.from(a.x.data);
    const out = await session.run({ x: new ort.Tensor(a.x.dtype === 'qint8' ? 'int8' : 'uint8', data, [...a.x.shape]) });
    const y = out.y as InstanceType<OrtModule['Tensor']>;
    return intTensor(a.x.dtype, [...y.dims], Int32Array.from(y.data as Int8Array | Uint8Array));
  } finally {
    await session.release();
  }
}

/** ORT's refusals (onnxruntime/core/providers/cpu/nn/conv_attributes.h ValidateInputShape, InferOutputShape; onnxruntime-node's), as contract codes. */
const ORT_ERROR_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/Output channels M is not divisible by group|Input channels C is not equal to kernel channels \* group/, 'invalid_geometry'],
  [/Invalid input shape/, 'empty_output'],
  // onnxruntime-node (lib/backend.ts, the session's output metadata) refuses the negative output dim that ONNX's shape
  // inference (C division) gives the model's y when the numerator is <= -2 stride: ORT's kernel would refuse the size too
  [/^Invalid dimension: -\d+$/, 'empty_output'],
];

function classifyOrtError(message: string): string {
  return ORT_ERROR_RULES.find(([pattern]) => pattern.test(message))?.[1] ?? 'backend_error';
}

/** Runs one wire request through ORT (the runner's OrtOpRunner shape); ORT's refusals become error responses. */
export async function qlinearConv2d(ort: OrtModule, request: WireRequest): Promise<WireResponse> {
  try {
    if (!isConvOpName(request.op)) throw new QconformError('unknown_op', 'request.op', request.op);
    const op = request.op;
    const y = await run(ort, decodeRequest(op, request.attrs, request.inputs, (attrs, inputs) => decodeConvArgs(op, attrs, inputs)));
    return { id: request.id, outputs: { y: encodeTensor(y) } };
  } catch (e) {
    if (e instanceof NotGivenToOrt) return answerNotGivenToOrt(request, e);
    if (isQconformError(e)) return { id: request.id, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    return { id: request.id, error: { code: classifyOrtError(message), message } };
  }
}
