/**
 * quantized_conv2d@1 on LiteRT.js: decode the wire request, run the contract check (TFLite's own refusals
 * are aborts or free text, so invalid calls get the contract's typed error first), refuse what TFLite's int8
 * kernels do not take (checkLitertRules, convKind), pick the kernel path from the scheme, run the model and
 * convert the output back to NCHW. Two refusals of xnnpack-fp32@1 that LiteRT.js's XNNPACK delegate computes instead (an
 * output range of one value, a per-tensor scale below 2^-32) are answered marked not_run (docs/protocol.md), and so are
 * the requests LiteRT.js traps, aborts, computes undefined C++ on or cannot take (an x of no element; litert_not_given.ts):
 * the contract's answer, marked.
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import { type ConvGeometry, checkConv2d, outputRangeRefusal } from '../../../contract/conv_checks.js';
import { QconformError, isQconformError } from '../../../contract/errors.js';
import { intTensor } from '../../../contract/tensor.js';
import { encodeTensor } from '../../../contract/wire.js';
import { assertXnnpackScale } from '../../../contract/xnnpack_scale.js';
import { f32RequantScale } from '../../../impl/requant/float_scale.js';
import { decodeConvArgs, isConvOpName } from '../../protocol/conv_dispatch.js';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { decodeRequest } from '../../protocol/request_fields.js';
import { contractAnswerNotRun, notRunReason, refusalNotRun } from '../contract_answer_not_run.js';
import { KERNEL_PATHS, type LitertScheme, checkLitertRules, litertConvModel, litertScheme } from './conv_graph.js';
import { emptyInputNotGivenToLitert, scalesNotGivenToLitert, shiftNotGivenToLitert } from './litert_not_given.js';
import type { LiteRtRuntime } from './litert_runtime.js';

/** The accumulator of both paths: int32 sums that wrap (ruy and XNNPACK kernels alike). */
export const LITERT_ACCUMULATOR = 'int32_wrap';

/**
 * What TFLite logs when the XNNPACK delegate cannot take the graph (e.g. XNNPACK's requantization scale limit,
 * scale < 256); TFLite then runs its own kernels, so the answer would not be the XNNPACK path's.
 */
const XNNPACK_REFUSAL = /failed to create XNNPACK runtime|TfLiteXNNPackDelegate\) failed to prepare|failed to delegate/;

/**
 * XNNPACK's precondition on a per-tensor requantization scale, scale >= 2^-32 (params-init.c asserts it: Debian's
 * libxnnpack and torch 1.13's XNNPACK abort), which xnnpack-fp32@1 refuses for every backend (contract/xnnpack_scale.ts).
 * LiteRT.js 2.5.3's XNNPACK is a release build: it does not check it and computes (y = the zero point, measured). Such
 * a request is not run on LiteRT: its answer is the scheme's refusal, marked not_run (docs/protocol.md).
 */
function xnnpackScalePrecondition(a: Conv2dArgs, scheme: LitertScheme): QconformError | null {
  if (scheme !== 'xnnpack-fp32@1' || a.weightQuantization !== 'per_tensor') return null;
  const scale = f32RequantScale(a.xScale, a.weightScales.data[0] as number, a.yScale);
  // (a scale >= 256, the scheme's other refusal, LiteRT's delegate refuses itself: its log says so, answered below)
  if (scale >= 2 ** -32) return null;
  try {
    assertXnnpackScale(scheme, scale, false);
    return null;
  } catch (e) {
    if (isQconformError(e)) return e;
    throw e;
  }
}

const SCALE_NOT_CHECKED = 'its XNNPACK release build does not check the precondition scale >= 2^-32 that XNNPACK asserts';
const ONE_VALUE_COMPUTED = "its XNNPACK delegate computes an output range of one value, relu with y_zero_point at the dtype's maximum, which XNNPACK's convolution operators refuse";

/** `refusal` (the contract's) as the answer to request `id`, LiteRT not run on it because of `why`. */
function notRunOnLitert(id: string, why: string, refusal: QconformError): WireResponse {
  return refusalNotRun(id, notRunReason('LiteRT', why), refusal);
}

/**
 * Whether `refusal`, the contract's first refusal of `a`, is xnnpack-fp32@1's refusal of an output range of one value
 * (relu with y_zero_point at the dtype's maximum; contract/conv_checks.ts outputRangeRefusal: XNNPACK 2022-02-16's
 * convolution-nhwc.c returns xnn_status_invalid_parameter for output_min >= output_max). LiteRT.js 2.5.3's XNNPACK
 * delegate takes such a conv and computes it (every output the maximum; measured on CONV_2D and DEPTHWISE_CONV_2D,
 * qint8 and quint8, tests/backends/litert_one_value_range.test.ts): such a request is not run on LiteRT, as the scale
 * precondition above is not.
 */
function isOneValueRangeRefusal(a: Conv2dArgs, scheme: LitertScheme, refusal: QconformError): boolean {
  if (scheme !== 'xnnpack-fp32@1' || (a.x.dtype !== 'quint8' && a.x.dtype !== 'qint8')) return false;
  return outputRangeRefusal(a, a.x.dtype)?.message === refusal.message;
}

/** The contract's check of `a` (checkConv2d); its refusal of a one-value output range, which LiteRT computes, is returned. */
function checkOnLitert(a: Conv2dArgs, scheme: LitertScheme): ConvGeometry | QconformError {
  try {
    return checkConv2d(a);
  } catch (e) {
    if (isQconformError(e) && isOneValueRangeRefusal(a, scheme, e)) return e;
    throw e;
  }
}

export async function litertConv2d(rt: LiteRtRuntime, request: WireRequest): Promise<WireResponse> {
  try {
    if (!isConvOpName(request.op)) throw new QconformError('unknown_op', 'request.op', request.op);
    const op = request.op;
    const a = decodeRequest(op, request.attrs, request.inputs, (attrs, inputs) => decodeConvArgs(op, attrs, inputs));
    const scheme = litertScheme(a.scheme);
    const scales = scalesNotGivenToLitert(a, scheme);
    if (scales) return contractAnswerNotRun(request, notRunReason('LiteRT', scales));
    const g = checkOnLitert(a, scheme);
    if (isQconformError(g)) return notRunOnLitert(request.id, ONE_VALUE_COMPUTED, g);
    checkLitertRules(a, scheme);
    const shift = shiftNotGivenToLitert(a, scheme);
    if (shift) return contractAnswerNotRun(request, notRunReason('LiteRT', shift));
    const precondition = xnnpackScalePrecondition(a, scheme);
    if (precondition) return notRunOnLitert(request.id, SCALE_NOT_CHECKED, precondition);
    const m = litertConvModel(a, g, scheme);
    // (after the model, so that a conv the backend does not map, convKind, keeps its refusal)
    const empty = emptyInputNotGivenToLitert(g);
    if (empty) return contractAnswerNotRun(request, notRunReason('LiteRT', empty));
    const { outputs, log } = await rt.run(m.model, m.inputs);
    const refusal = KERNEL_PATHS[scheme] === 'xnnpack' ? log.find((line) => XNNPACK_REFUSAL.test(line)) : undefined;
    if (refusal) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK delegate', refusal, 'XNNPACK refused the conv and TFLite fell back to its builtin kernel, which is not xnnpack-fp32@1');
    const y = outputs[0];
    if (!y) throw new Error('LiteRT returned no output');
    return { id: request.id, outputs: { y: encodeTensor(intTensor(g.dtype, [g.n, g.oc, g.oh, g.ow], m.decode(y))) } };
  } catch (e) {
    if (isQconformError(e)) return { id: request.id, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    return { id: request.id, error: { code: 'backend_error', message } };
  }
}
