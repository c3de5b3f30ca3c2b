/**
 * The one place the onnxruntime backend keeps ORT from the requests that kill its process (or whose answer it reads from memory
 * its kernel never writes, below). ORT_OPS (onnxruntime_ops.ts)
 * sends every request through withoutKnownCrashes before the op's runner, so whether a request reaches ORT does not
 * depend on which adapter runs it, on the host or as ort_server.ts under QEMU. For each op with a known crash, the
 * contract (contract/, each predicate beside the refusal it explains) says whether the request has the crash's shape:
 *   - matmul_integer_to_float@1, dynamic_quantize_matmul@1: ortScaleOutputDies (a scale ScaleOutput broadcasts past the
 *     output, or an empty one to no element of a non-empty output),
 *     ortIntegerToFloatK0Dies (K = 0 with a b scale or zero point of rank > 1: SIGFPE);
 *   - matmul_integer@1, qlinear_matmul@1: ortMatMulIntegerDies, ortQLinearMatMulDies (the same K = 0 division:
 *     contract/onnx_matmul_checks.ts ortMatmulK0ParamDies);
 *   - qlinear_softmax@1: ortSoftmaxDies (an empty x);
 *   - qlinear_average_pool@1: ortAveragePoolDies (a channels_last pool of pooled size 0);
 *   - quantize_linear@1: ortQuantizeLinearDies (an empty blocked QuantizeLinear: contract/qdq_ort_crash.ts);
 *   - qembed_layer_normalization@1: ortQEmbedLayerNormDies (an empty unchecked scale with int8 tables).
 * It also keeps from ORT the requests whose answer ORT reads from memory its kernel never writes (y varies from run to
 * run, so no run of it is a verdict): qlinear_conv_nhwc@1 with C = 0 and N > 0 (ortNhwcUnwrittenY), answered the same
 * way, its reason "not run on ORT (<why>)".
 * Such a request, when the contract refuses it, is answered with the contract's refusal (whichever of its checks fires
 * first) instead of being run, marked `not_run` (docs/protocol.md) with the reason its message starts with: "not run on
 * ORT (its process dies of this request's shape: ...)". `qconform run` reports such a case `not-run`, never as ORT's pass.
 * So an in-process run (`qconform run --backend onnxruntime` on the host, the vector generators, the live-oracle tests)
 * gives every case a verdict instead of dying with the process. RUN_KNOWN_CRASHES_ENV=1 sends them all to ORT anyway.
 */
import { isQconformError } from '../../../contract/errors.js';
import { type OnnxAttributeSchema, onnxAttributeFaults } from '../../../contract/onnx_attributes.js';
import { ONNX_QOP_ATTRIBUTES } from '../../../contract/onnx_qop_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from '../../../contract/onnx_quant_attributes.js';
import type { OnnxQuantOpName } from '../../../contract/onnx_quant.js';
import type { OnnxQOpName } from '../../../contract/onnx_qops.js';
import { ORT_SCALE_OUTPUT_DIES, checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat, ortIntegerToFloatK0Dies, ortScaleOutputDies } from '../../../contract/matmul_integer_to_float_checks.js';
import { ORT_MATMUL_K0_PARAM_DIES, checkMatMulInteger, checkQLinearMatMul, ortMatMulIntegerDies, ortQLinearMatMulDies } from '../../../contract/onnx_matmul_checks.js';
import { checkQuantizeLinear, ortQuantizeLinearDies } from '../../../contract/onnx_quant_checks.js';
import { ORT_BLOCKED_QUANTIZE_EMPTY_DIES } from '../../../contract/qdq_ort_crash.js';
import { ORT_QEMBED_EMPTY_SCALE, checkQEmbedLayerNorm, ortQEmbedLayerNormDies } from '../../../contract/qembed_layer_norm_checks.js';
import { ORT_POOLED_ZERO_CHANNELS_LAST, checkQLinearAveragePool, ortAveragePoolDies } from '../../../contract/qlinear_pool_checks.js';
import { EMPTY_SOFTMAX, checkQLinearSoftmax, ortSoftmaxDies } from '../../../contract/qlinear_softmax_checks.js';
import { ORT_NHWC_UNWRITTEN_Y, checkQLinearConvNhwc, ortNhwcUnwrittenY } from '../../../contract/qlinear_conv_nhwc_checks.js';
import type { Attrs, Inputs, WireRequest, WireResponse } from '../../protocol/messages.js';
import { decodeRequest } from '../../protocol/request_fields.js';
import { decodeDynamicQuantizeMatMul, decodeMatMulInteger, decodeMatMulIntegerToFloat, decodeQEmbedLayerNorm, decodeQLinearAveragePool, decodeQLinearConvNhwc, decodeQLinearMatMul, decodeQLinearSoftmax } from '../../protocol/onnx_qops_dispatch.js';
import { decodeQuantizeLinear } from '../../protocol/onnx_quant_dispatch.js';
import type { OrtModule } from './qlinear_conv.js';
import { answerNotRunOnOrt } from './ort_not_run.js';

/**
 * Set to 1 only by the tests that show ORT's own crash in a child process (tests/backends/ort_empty_qlinear_ops.test.ts):
 * every request then reaches session.run, and the process dies as ORT does.
 */
export const RUN_KNOWN_CRASHES_ENV = 'QCONFORM_ORT_RUN_KNOWN_CRASHES';

/**
 * A request's known crash: why ORT's process dies of its shape (null: it does not), or why ORT's answer to it is read
 * from memory its kernel never writes (`unwritten`), and the contract's check of it.
 */
interface CrashShape {
  readonly dies: string | null;
  readonly unwritten?: string | null;
  readonly check: () => unknown;
}

type Decoded = (a: Attrs, i: Inputs, op: string) => CrashShape;

const KNOWN_CRASHES: Readonly<Record<string, Decoded>> = {
  'matmul_integer@1': (a, i) => {
    const m = decodeMatMulInteger(a, i);
    return { dies: ortMatMulIntegerDies(m) ? ORT_MATMUL_K0_PARAM_DIES : null, check: () => checkMatMulInteger(m) };
  },
  'qlinear_matmul@1': (a, i) => {
    const m = decodeQLinearMatMul(a, i);
    return { dies: ortQLinearMatMulDies(m) ? ORT_MATMUL_K0_PARAM_DIES : null, check: () => checkQLinearMatMul(m) };
  },
  'matmul_integer_to_float@1': (a, i) => {
    const m = decodeMatMulIntegerToFloat(a, i);
    return { dies: ortIntegerToFloatK0Dies(m) ? ORT_MATMUL_K0_PARAM_DIES : ortScaleOutputDies(m) ? ORT_SCALE_OUTPUT_DIES : null, check: () => checkMatMulIntegerToFloat(m) };
  },
  'dynamic_quantize_matmul@1': (a, i) => {
    const m = decodeDynamicQuantizeMatMul(a, i);
    return { dies: ortIntegerToFloatK0Dies(m) ? ORT_MATMUL_K0_PARAM_DIES : ortScaleOutputDies(m) ? ORT_SCALE_OUTPUT_DIES : null, check: () => checkDynamicQuantizeMatMul(m) };
  },
  'qlinear_softmax@1': (a, i) => {
    const m = decodeQLinearSoftmax(a, i);
    return { dies: ortSoftmaxDies(m) ? EMPTY_SOFTMAX : null, check: () => checkQLinearSoftmax('qlinear_softmax', m) };
  },
  'qlinear_average_pool@1': (a, i) => {
    const m = decodeQLinearAveragePool(a, i);
    return { dies: ortAveragePoolDies(m) ? ORT_POOLED_ZERO_CHANNELS_LAST : null, check: () => checkQLinearAveragePool('qlinear_average_pool', m) };
  },
  'qlinear_conv_nhwc@1': (a, i) => {
    const m = decodeQLinearConvNhwc(a, i);
    return { dies: null, unwritten: ortNhwcUnwrittenY(m) ? ORT_NHWC_UNWRITTEN_Y : null, check: () => checkQLinearConvNhwc('qlinear_conv_nhwc', m) };
  },
  'qembed_layer_normalization@1': (a, i) => {
    const m = decodeQEmbedLayerNorm(a, i);
    return { dies: ortQEmbedLayerNormDies(m) ? ORT_QEMBED_EMPTY_SCALE : null, check: () => checkQEmbedLayerNorm('qembed_layer_normalization', m) };
  },
  'quantize_linear@1': (a, i, op) => {
    const m = decodeQuantizeLinear(op, a, i);
    return { dies: ortQuantizeLinearDies(m) ? ORT_BLOCKED_QUANTIZE_EMPTY_DIES : null, check: () => checkQuantizeLinear(m) };
  },
};

/** The attribute schema of an ONNX op qconform models (contract/onnx_quant_attributes.ts, onnx_qop_attributes.ts), or undefined. */
function attributeSchema(op: string): OnnxAttributeSchema | undefined {
  if (Object.hasOwn(ONNX_QUANT_ATTRIBUTES, op)) return ONNX_QUANT_ATTRIBUTES[op as OnnxQuantOpName];
  return Object.hasOwn(ONNX_QOP_ATTRIBUTES, op) ? ONNX_QOP_ATTRIBUTES[op as OnnxQOpName] : undefined;
}

/**
 * The crash shape of a request, or null: an op without known crashes, a request that does not decode or carries a
 * field its op does not take (its runner refuses it before ORT runs: request_fields.ts), or one with an attribute its op's schema refuses (ORT refuses the model when it builds the session,
 * before any kernel runs, or the adapter refuses a fault of the wire form before ORT: no crash either way).
 */
function crashShape(request: WireRequest): CrashShape | null {
  const decode = Object.hasOwn(KNOWN_CRASHES, request.op) ? KNOWN_CRASHES[request.op] : undefined;
  if (!decode) return null;
  const raw = request.attrs ?? {};
  const schema = attributeSchema(request.op);
  if (schema !== undefined && onnxAttributeFaults(request.op, schema, raw).length > 0) return null;
  try {
    return decodeRequest(request.op, raw, request.inputs, (a, i) => decode(a, i, request.op));
  } catch {
    return null;
  }
}

/**
 * The answer to a request ORT 1.30 would die of, instead of running it, or null (run it): only a request the contract
 * refuses and that has a known crash's shape is kept from ORT. Its error is the contract's refusal (code and message),
 * the message prefixed with the reason, which is also its `not_run`.
 */
function answerWithoutOrt(request: WireRequest): WireResponse | null {
  if (process.env[RUN_KNOWN_CRASHES_ENV] === '1') return null;
  const shape = crashShape(request);
  const why = shape?.dies != null ? `its process dies of this request's shape: ${shape.dies}` : (shape?.unwritten ?? null);
  if (shape == null || why === null) return null;
  try {
    shape.check();
    return null;
  } catch (e) {
    return isQconformError(e) ? answerNotRunOnOrt(request.id, why, e) : null;
  }
}

/** `run` behind answerWithoutOrt: what ORT_OPS registers for every op. */
export function withoutKnownCrashes(run: (ort: OrtModule, request: WireRequest) => Promise<WireResponse>): (ort: OrtModule, request: WireRequest) => Promise<WireResponse> {
  return (ort, request) => {
    const withoutOrt = answerWithoutOrt(request);
    return withoutOrt ? Promise.resolve(withoutOrt) : run(ort, request);
  };
}
