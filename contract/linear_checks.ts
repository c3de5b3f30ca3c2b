/**
 * The contract checks of quantized_linear@1 and quantized_linear_dynamic@1, called once by reference/ and impl/
 * before any arithmetic. A static linear is checked as the 1x1 conv it is (linearAsConv, then checkConv2d:
 * dtypes, qparams, scheme rules, accumulator and size limits all as for quantized_conv2d@1; asLinearRun renames each
 * refusal of the conv's checks and of its arithmetic quantized_linear); what is linear's
 * own (ranks, K) is checked first, with linear's name, except whether torch computes a linear with K = 0 or N = 0
 * (emptyLinearRefusal), checked last. On torch's schemes the weight's construction comes first
 * (contract/torch_linear_weight_qparams.ts; per channel torch reads the first N qparams), then the rules torch checks
 * before K, in its order: on torch-qnnpack@1 qnnpackStaticOrder, on torch-onednn@1 / @2 onednnStaticOrder (linear_prepack,
 * x's rank and dtype, and x's K = 0, where torch dies).
 */
import type { Conv2dArgs, RequantScheme } from './conv.js';
import { type ConvGeometry, assertEmptyBatchModelled, assertRequantScheme, checkActivationDtype, checkConv2d, schemeActivationRefusal, schemeBiasDtypeRefusal } from './conv_checks.js';
import { computesEmptyBatch, isTorchOnednnScheme } from './conv_schemes.js';
import { QconformError, isQconformError } from './errors.js';
import { DYNAMIC_LINEAR_ACCUMULATORS, DYNAMIC_LINEAR_SCHEMES, type DynamicLinearArgs, type LinearArgs } from './linear.js';
import { onednnGemmPairsAreGlobal } from './onednn_gemm.js';
import { MAX_CONV_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { checkQnnpackMultipliers } from './qnnpack_multiplier.js';
import type { QuantDtype } from './dtypes.js';
import { type F32Tensor, type IntTensor, type Tensor, intTensor, reshaped } from './tensor.js';
import { QNNPACK_READS_PAST_SCALES, assertChannelsGiven, checkTorchWeightConstruction, firstChannels, isTorchLinearScheme } from './torch_linear_weight_qparams.js';
import { validateWeightScale } from './weight_scales.js';
import { isPresentTensor, validateDtypeZeroPoint, validateF32, validateQuantizedValues, validateScale, validateShape } from './validate.js';

/** The rows, depth and outputs of a linear: x [...lead, K] times weight [N, K]^T is y [...lead, N]. */
export interface LinearShape {
  /** M = prod(lead) */
  readonly rows: number;
  /**
   * the K the linear's sums run over: the weight's; x's when they differ on an empty output of N = 0, and on
   * torch-qnnpack@1 with x's K = 0, which packs the weight with x's K, so none of it (shapeOf)
   */
  readonly k: number;
  /** x's K (x.shape[-1]): k, except on an empty output whose K torch does not compare (shapeOf) */
  readonly xk: number;
  readonly n: number;
  readonly outShape: readonly number[];
}

/**
 * x's rank rule of a linear on `scheme`, in the words of the engine whose rule it is (torch 1.13.0 and 2.6 measured:
 * tests/backends/torch_onednn_dynamic_order.test.ts). Static (qlinear.cpp): qnnpack's PackedLinearWeightsQnnp::apply_impl
 * takes rank >= 2 ("quantized::linear(): Input tensor rank should be >= 2"), onednn's PackedLinearWeightsOnednn::apply_impl
 * rank >= 1 ("qlinear (ONEDNN): input dim should be at least 1"; a [K] x gives a [N] y), every other scheme rank >= 1
 * (qconform's: a [K] x is one row). Dynamic (qlinear_dynamic.cpp): both engines' apply_dynamic_impl take rank >= 2
 * ("The dimension of input tensor should be larger than or equal to 2").
 */
function rankRule(what: string, scheme: RequantScheme): { minRank: number; rule: string } {
  if (what === DYN) {
    const engine = isTorchOnednnScheme(scheme) ? 'onednn (PackedLinearWeightsOnednn' : 'qnnpack (PackedLinearWeightsQnnp';
    return { minRank: 2, rule: `torch ${engine}::apply_dynamic_impl, qlinear_dynamic.cpp): "The dimension of input tensor should be larger than or equal to 2"` };
  }
  if (scheme === 'torch-qnnpack@1') return { minRank: 2, rule: 'torch qnnpack (PackedLinearWeightsQnnp::apply_impl, qlinear.cpp): "Input tensor rank should be >= 2"' };
  if (isTorchOnednnScheme(scheme)) return { minRank: 1, rule: 'torch onednn (PackedLinearWeightsOnednn::apply_impl, qlinear.cpp): "input dim should be at least 1"' };
  return { minRank: 1, rule: 'qconform: a [K] x is one row' };
}

/** Refuses an x of too low a rank for `scheme` (rankRule), naming the engine whose rule it is. */
function checkXRank(what: string, scheme: RequantScheme, x: Tensor): void {
  const { minRank, rule } = rankRule(what, scheme);
  if (x.shape.length < minRank) throw new QconformError('shape_mismatch', `${what}: x`, x.shape, `x is [..., K] with rank >= ${minRank} on ${scheme} (${rule})`);
}

/**
 * The output shape of a linear of M rows: [...lead, N], except on torch's onednn engine (torch-onednn@1, torch-onednn@2)
 * when it is empty (M = 0 or N = 0): qlinear.cpp and qlinear_dynamic.cpp PackedLinearWeightsOnednn::apply_impl /
 * apply_dynamic_impl compute a 2-D [M, N] output and return it as it is when it is empty (`if (output.numel() == 0)
 * return output;`, before the reshape to [...lead, N]), so an x of rank 3 or more gives [0, N] or [M, 0], and the static
 * linear's x of rank 1 with N = 0 gives [1, 0] (torch 1.13.0 and 2.6 measured, tests/backends/torch_empty_batches.test.ts
 * and torch_empty_linears.test.ts). qnnpack keeps [...lead, N].
 */
function outputShape(scheme: RequantScheme, lead: readonly number[], rows: number, n: number): readonly number[] {
  return (rows === 0 || n === 0) && isTorchOnednnScheme(scheme) ? [rows, n] : [...lead, n];
}

/** What torch does with the linears it does not compute (emptyLinearRefusal, onednnStaticOrder, onednnDynamicOrder), as the refusals say it. */
const TORCH_ONEDNN_STATIC_K0 = "torch 1.13.0 and 2.6 die of SIGFPE on x's K = 0, any M, N and weight K (qlinear.cpp PackedLinearWeightsOnednn::apply_impl divides by it: M = input.numel() / K)";
const TORCH_ONEDNN_RESHAPE_K0 = 'torch 1.13.0 and 2.6 raise "cannot reshape tensor of 0 elements into shape [-1, 0]" (qlinear_dynamic.cpp reshapes x to [-1, K]) on x\'s K = 0 with x of rank >= 3, any M, N and weight K';
const TORCH26_ONEDNN_DYNAMIC_K0 = "torch 2.6 (oneDNN 3.7) returns uninitialized memory (values that change from run to run) for K = 0 with M, N >= 1";
const TORCH_QNNPACK_EMPTY_WEIGHT_K = "torch 1.13.0 and 2.6 die of SIGSEGV in qnnpack's PackBMatrix on an x of K >= 1 with a weight [N >= 1, 0] (qlinear.cpp and qlinear_dynamic.cpp pack the weight with x's K)";

/**
 * Why a linear with K = 0 or N = 0, or one whose x's K (`kx`) differs from the weight's (`kw`) where torch compares no K
 * (torchSkipsKCheck), is refused, with the code of the refusal, or null where it is computed: where torch 1.13.0 and 2.6
 * compute one (tests/backends/torch_empty_batches.test.ts for M = 0, torch_empty_linears.test.ts for M >= 1,
 * torch_linear_empty_k_mismatch.test.ts for empty outputs whose K's differ, torch_linear_x_k0.test.ts for x's K = 0
 * with a weight K >= 1). Checked after every other rule of the linear, since torch checks those first (qnnpack's
 * requantization scales, onednn's prepack and activation dtype). onednn's refusals of x's K = 0 come earlier, in
 * torch's order: its static linear's SIGFPE (onednnStaticOrder) and its dynamic one's reshape error on x of rank
 * >= 3 (onednnDynamicOrder). Per case:
 * - M = 0, on a scheme that computes empty batches (SCHEME_RULES emptyBatch): an empty output, except qnnpack's with
 *   x's K >= 1, a weight [N >= 1, 0] (SIGSEGV);
 * - M >= 1, x's K = 0, N >= 1: on torch-qnnpack@1, static and dynamic, whatever the weight's K (qlinear.cpp and
 *   qlinear_dynamic.cpp pack the weight with x's K: none of it), and torch-onednn@1's dynamic linear of rank 2 with a
 *   weight [N, 0]: the linear of an empty sum, each output the bias alone through the scheme's usual epilogue
 *   (requantize(bias) for the static one: [120, 120, 120] without bias for y_zero_point 120). torch-onednn@2's dynamic
 *   one of rank 2 with a weight [N, 0] returns uninitialized memory (refused here); with a weight K >= 1 it is
 *   inner_dim_mismatch on both onednn versions (shapeOf: ideep's matmul, "could not create a descriptor");
 * - M >= 1, N = 0: an empty output, [M, 0] on onednn (static any rank, dynamic as for K = 0 then), [...lead, 0] on
 *   qnnpack (static after its requantization-scale check, dynamic without one) as torch computes it with one thread
 *   (torch.set_num_threads(1), as the torch adapter runs); with two threads or more torch dies of SIGFPE there (an
 *   integer division by zero under qnnpackLinear / qnnpackLinearDynamic in pthreadpool_compute_4d_tiled).
 * An empty output whose K's differ is computed alike on torch-qnnpack@1, torch-onednn@1 and torch-onednn@2 (torch
 * compares no K there: onednn's matmul is never run on an empty output, qnnpack never compares them); the rules above
 * that name x's K are x's. Other schemes (torch-fbgemm@1: neither Debian's torch 1.13 nor 2.6 has the engine, "quantized
 * engine FBGEMM is not supported"; exact@1; the ORT, TFLite, TOSA ones) were not run on K = 0 or N = 0 with M >= 1: not
 * modelled there, unsupported_by_scheme (an M = 0 on a scheme without empty batches is refused before, by
 * assertEmptyBatchModelled; K's that differ are inner_dim_mismatch there, shapeOf). What torch does not compute (a
 * crash, uninitialized memory) stays shape_mismatch, saying what torch does.
 */
function emptyLinearRefusal(what: string, scheme: RequantScheme, rows: number, kx: number, kw: number, n: number): { code: 'shape_mismatch' | 'unsupported_by_scheme'; why: string } | null {
  const onednn = isTorchOnednnScheme(scheme);
  if (rows === 0 ? !computesEmptyBatch(scheme, 'linear') : scheme !== 'torch-qnnpack@1' && !onednn) {
    return { code: 'unsupported_by_scheme', why: `a linear with K = 0 or N = 0 is modelled on an empty batch (M = 0) of a scheme that computes empty batches, and with M >= 1 on torch-qnnpack@1, torch-onednn@1 and torch-onednn@2 only, where torch was run on it; what ${scheme}'s backend does with one is not modelled` };
  }
  const torchRefuses = (why: string) => ({ code: 'shape_mismatch' as const, why: notComputed(why) });
  if (!onednn) return kw === 0 && kx >= 1 && n >= 1 ? torchRefuses(TORCH_QNNPACK_EMPTY_WEIGHT_K) : null;
  // x's K = 0 reaches here on onednn's dynamic linear of rank 2 only (onednnStaticOrder, onednnDynamicOrder)
  if (kx >= 1 || what !== DYN) return null;
  return scheme === 'torch-onednn@2' && rows >= 1 && n >= 1 ? torchRefuses(TORCH26_ONEDNN_DYNAMIC_K0) : null;
}

/** The detail of a refusal (shape_mismatch) of a linear with K = 0 or N = 0 that torch does not compute, saying what torch does. */
function notComputed(why: string): string {
  return `K = 0 or N = 0, not computed here: ${why}`;
}

/** Throws the refusal of a linear with K = 0 or N = 0 that qconform does not compute (emptyLinearRefusal). */
function assertEmptyLinearComputed(what: string, scheme: RequantScheme, x: Tensor, weight: Tensor, shape: LinearShape): void {
  const kw = weight.shape[1] as number;
  if (shape.xk >= 1 && kw >= 1 && shape.n >= 1) return;
  const refusal = emptyLinearRefusal(what, scheme, shape.rows, shape.xk, kw, shape.n);
  if (refusal !== null) throw new QconformError(refusal.code, `${what}: weight`, { x: x.shape, weight: weight.shape }, refusal.why);
}

/**
 * Whether torch gets past x's K (`xk`) and the weight's differing without comparing them, so that the linear is
 * computed, or refused by emptyLinearRefusal or onednn's K = 0 rules, as torch 1.13.0 and 2.6 do: on torch's schemes
 * (isTorchLinearScheme), an empty output (M = 0 or N = 0: onednn's apply_impl / apply_dynamic_impl return it before
 * the matmul, qnnpack compares no K; tests/backends/torch_linear_empty_k_mismatch.test.ts), and x's K = 0 with M, N >= 1
 * (tests/backends/torch_linear_x_k0.test.ts): qnnpack packs the weight with x's K, none of it, and computes the linear
 * of an empty sum; onednn's static linear dies of SIGFPE and its dynamic one of rank >= 3 raises the reshape error
 * first. onednn's dynamic linear of rank 2 compares them (ideep's matmul: "could not create a descriptor for a matmul
 * primitive"), and so do all the K >= 1 ones (qnnpack reads the weight row-shifted: a contract rejection, contract/errors.ts).
 */
function torchSkipsKCheck(what: string, scheme: RequantScheme, rank: number, rows: number, xk: number, n: number): boolean {
  if (!isTorchLinearScheme(scheme)) return false;
  if (rows === 0 || n === 0) return true;
  return xk === 0 && !(what === DYN && isTorchOnednnScheme(scheme) && rank === 2);
}

/**
 * The linear's shape. x's K against the weight's: inner_dim_mismatch, except where torch compares no K
 * (torchSkipsKCheck: an empty output, x's K = 0 on torch's schemes; the crashes among them are emptyLinearRefusal's and
 * onednn's K = 0 rules). Its sums then run over the weight's K for no rows and x's for no outputs (none is summed
 * either way), so that x [M, k] and the weight [N, k] stay consistent, and over x's K = 0 otherwise (qnnpack packs the
 * weight with x's K: linearAsConv's conv then has an empty weight [N, 0]).
 */
function shapeOf(what: string, x: Tensor, weight: Tensor, scheme: RequantScheme): LinearShape {
  validateShape(`${what}: x`, x);
  validateShape(`${what}: weight`, weight);
  checkXRank(what, scheme, x);
  if (weight.shape.length !== 2) throw new QconformError('shape_mismatch', `${what}: weight`, weight.shape, 'weight is [N, K]');
  const xk = x.shape[x.shape.length - 1] as number;
  const [n, wk] = weight.shape as [number, number];
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  if (wk !== xk && !torchSkipsKCheck(what, scheme, x.shape.length, rows, xk, n)) {
    throw new QconformError('inner_dim_mismatch', `${what}: weight`, { x: x.shape, weight: weight.shape }, 'weight is [N, K] with K = x.shape[-1]');
  }
  if (rows === 0) assertEmptyBatchModelled(`${what}: x`, scheme, x.shape, 'linear');
  return { rows, k: rows === 0 ? wk : xk, xk, n, outShape: outputShape(scheme, lead, rows, n) };
}

/** The 1x1 conv of a static linear (contract/linear.ts) and the linear's output shape; throws the first broken rule. */
export function linearAsConv(a: LinearArgs): { conv: Conv2dArgs; geometry: ConvGeometry; shape: LinearShape } {
  assertRequantScheme(LINEAR, a.scheme);
  const torch = isTorchLinearScheme(a.scheme);
  if (torch) {
    asLinearRun(() => checkActivationDtype(a));
    checkTorchWeightConstruction(LINEAR, a);
  }
  if (a.scheme === 'torch-qnnpack@1') qnnpackStaticOrder(a);
  else if (isTorchOnednnScheme(a.scheme)) onednnStaticOrder(a);
  const shape = shapeOf(LINEAR, a.x, a.weight, a.scheme);
  const wk = a.weight.shape[1] as number;
  // the weight torch packs: x's K of each output channel (shapeOf), all of it but where x's K = 0 takes none of it
  const packsWeight = shape.k === wk;
  if (!packsWeight) validateQuantizedValues(`${LINEAR}: weight`, a.weight.data, 'qint8');
  if (a.accumulator === 'sat16_pairs' && !onednnGemmPairsAreGlobal(shape.k)) {
    throw new QconformError('unsupported_by_scheme', `${LINEAR}: accumulator`, { accumulator: a.accumulator, k: shape.k }, "sat16_pairs is the conv's pairs (2j, 2j + 1) along K; oneDNN's gemm starts a K block at an odd k here (contract/onednn_gemm.ts), which the static linear does not model");
  }
  const conv: Conv2dArgs = {
    // torch reads the qparams of the first N channels only (contract/torch_linear_weight_qparams.ts)
    ...(torch ? firstChannels(a, shape.n) : a),
    x: reshaped(a.x, [shape.rows, shape.k, 1, 1]),
    weight: packsWeight ? reshaped(a.weight, [shape.n, shape.k, 1, 1]) : intTensor(a.weight.dtype, [shape.n, shape.k, 1, 1], []),
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    groups: 1,
  };
  const geometry = asLinearRun(() => checkConv2d(conv, { emptyWeight: shape.n === 0 }));
  assertEmptyLinearComputed(LINEAR, a.scheme, a.x, a.weight, shape);
  return { conv, geometry, shape };
}

/**
 * A bias's dtype (one of `dtypes`, else invalid_dtype) and its shape [n], as torch's linear_prepack (qlinear_prepack.cpp)
 * checks it: qnnpack "expected bias to be 1-dimensional with N elements", onednn "bias should have N elements".
 */
function checkPrepackBias(what: string, scheme: RequantScheme, b: F32Tensor | IntTensor | null, n: number, dtypes: readonly string[]): void {
  if (!isPresentTensor(`${what}: bias`, b)) return;
  if (!dtypes.includes(b.dtype)) throw new QconformError('invalid_dtype', `${what}: bias.dtype`, b.dtype, `bias is ${dtypes.join(' or ')}`);
  if (b.dtype === 'float32') validateF32(`${what}: bias`, b);
  else validateShape(`${what}: bias`, b);
  const onednn = isTorchOnednnScheme(scheme);
  if (b.shape.length !== 1 || b.data.length !== n) throw new QconformError('shape_mismatch', `${what}: bias`, b.shape, `bias is [${n}] (torch ${onednn ? 'onednn' : 'qnnpack'}, qlinear_prepack.cpp: "${onednn ? 'bias should have N elements' : 'expected bias to be 1-dimensional with N elements'}")`);
}

/**
 * The weight's rank and the bias (linear_prepack, qlinear_prepack.cpp), then x's rank (apply_impl / apply_dynamic_impl):
 * the rules qnnpack's static and dynamic linears check first, in this order (qnnpackStaticOrder, qnnpackDynamicOrder).
 * Returns N.
 */
function qnnpackPrepackAndRank(what: string, a: LinearArgs | DynamicLinearArgs, biasDtypes: readonly string[]): number {
  validateShape(`${what}: x`, a.x);
  validateShape(`${what}: weight`, a.weight);
  if (a.weight.shape.length !== 2) throw new QconformError('shape_mismatch', `${what}: weight`, a.weight.shape, 'weight is [N, K]');
  const n = a.weight.shape[0] as number;
  checkPrepackBias(what, a.scheme, a.bias, n, biasDtypes);
  checkXRank(what, a.scheme, a.x);
  return n;
}

/**
 * torch's order of refusals for qnnpack's static linear (torch 1.13.0 and 2.6 measured alike, tests/backends/
 * torch_qnnpack_static_order.test.ts), checked first on torch-qnnpack@1 after the dtypes and the weight's construction:
 * linear_prepack's weight rank and bias shape, then PackedLinearWeightsQnnp::apply_impl (qlinear.cpp): x's rank ("Input
 * tensor rank should be >= 2"), the requantization scales of the first N output channels and 8 padding ones
 * (generate_requantization_scales; "failed to create op with requantization scale": x_scale, y_scale, a per-channel
 * weight of fewer than N, whose scales qnnpack reads past, each weight scale, each multiplier), then
 * quant_utils::QuantizeBias: an int32 bias ("Quantize only works on Float Tensor, got Int": torch takes a float bias),
 * then a per-channel weight of more than N ("length of scales must equal to channel"). torch never compares x's K with
 * the weight's (it packs the weight with x's K); qconform refuses K's that differ after all of these (shapeOf).
 */
function qnnpackStaticOrder(a: LinearArgs): void {
  const n = qnnpackPrepackAndRank(LINEAR, a, ['float32', 'int32']);
  validateScale(`${LINEAR}: x_scale`, a.xScale);
  validateScale(`${LINEAR}: y_scale`, a.yScale);
  assertChannelsGiven(LINEAR, a, n, QNNPACK_READS_PAST_SCALES);
  const scales = firstChannels(a, n).weightScales.data;
  scales.forEach((s, i) => validateWeightScale(`${LINEAR}: weight_scales[${i}]`, a.scheme, s));
  asLinearRun(() => checkQnnpackMultipliers(scales, a.xScale, a.yScale));
  if (a.bias?.dtype === 'int32') throw new QconformError('unsupported_by_scheme', `${LINEAR}: bias.dtype`, a.bias.dtype, 'torch-qnnpack@1 takes a float32 bias (torch qnnpack, quant_utils::QuantizeBias: "Quantize only works on Float Tensor, got Int")');
  if (a.weightQuantization === 'per_channel' && a.weightScales.data.length > n) {
    throw new QconformError('shape_mismatch', `${LINEAR}: weight_scales`, a.weightScales.shape, `per_channel weights take [${n}] on torch-qnnpack@1's static linear (torch qnnpack, quant_utils::QuantizeBias: "length of scales must equal to channel")`);
  }
}

const CONV = 'quantized_conv2d';
const LINEAR = 'quantized_linear';

/**
 * Runs a static linear's 1x1 conv: its contract check (linearAsConv's checkConv2d) or its arithmetic (reference/ or
 * impl/ quantizedConv2d of linearAsConv's conv). The refusals of either (the conv's checks; per value, the `exact`
 * accumulator's int32 overflow in int32Add, a scheme's scale range: XNNPACK's, TOSA's rescale shift) name the conv
 * they run in, so they are rethrown here naming quantized_linear, code, value and detail unchanged.
 */
export function asLinearRun<T>(conv: () => T): T {
  try {
    return conv();
  } catch (e) {
    if (isQconformError(e) && e.what.startsWith(`${CONV}:`)) throw new QconformError(e.code, `${LINEAR}${e.what.slice(CONV.length)}`, e.value, e.detail);
    throw e;
  }
}

/** Throws a refusal of the conv's rules (conv_checks.ts) named as the linear's (asLinearRun). */
function throwAsLinear(refusal: QconformError): never {
  return asLinearRun(() => {
    throw refusal;
  });
}

/** The conv output [M, N, 1, 1] as the linear's [..., N] (same element order). */
export function linearOutput(y: IntTensor, shape: LinearShape): IntTensor {
  return reshaped(y, shape.outShape);
}

const DYN = 'quantized_linear_dynamic';

/**
 * x's values: the dynamic quantization takes their min and max (torch: ChooseQuantizationParams refuses a NaN);
 * `nanOnly` checks the NaNs alone (torch-onednn's order: its NaN refusal comes before K, qconform's of an infinity after).
 */
function checkDynamicX(a: DynamicLinearArgs, nanOnly = false): void {
  a.x.data.forEach((v, i) => {
    if (Number.isNaN(v)) throw new QconformError('nan_observed', `${DYN}: x[${i}]`, v, 'the dynamic quantization takes min and max of x (torch: "In ChooseQuantizationParams, min should be less than or equal to max")');
    if (!nanOnly && !Number.isFinite(v)) throw new QconformError('non_finite_observed', `${DYN}: x[${i}]`, v, 'the dynamic quantization takes min and max of x; qconform refuses infinities');
  });
}

/**
 * The weight's qparams for `n` output columns, after their construction (checkTorchWeightConstruction, in the orders
 * below): a per-channel weight of fewer than N is refused (qnnpack reads past its scales; onednn's IndexError, which
 * onednnDynamicOrder checks before), of more than N computed with the first N (contract/torch_linear_weight_qparams.ts:
 * torch 1.13.0 and 2.6 ignore the rest on both engines). On torch-qnnpack@1 with N = 0 the weight scales' values are not
 * checked: qnnpack checks each output channel's requantization scale and there is none (torch 1.13.0 and 2.6 return
 * the empty [..., 0] output for a per-tensor weight scale of 0, -1 or inf: tests/backends/torch_qnnpack_dynamic_order.test.ts).
 */
function checkDynamicWeightQParams(a: DynamicLinearArgs, n: number): void {
  assertChannelsGiven(DYN, a, n, QNNPACK_READS_PAST_SCALES);
  const q = firstChannels(a, n);
  if (!(a.scheme === 'torch-qnnpack@1' && n === 0)) q.weightScales.data.forEach((s, i) => validateWeightScale(`${DYN}: weight_scales[${i}]`, a.scheme, s));
  q.weightZeroPoints.data.forEach((z, i) => validateDtypeZeroPoint(`${DYN}: weight_zero_points[${i}]`, z, 'qint8'));
  if (isTorchOnednnScheme(a.scheme)) checkOnednnSymmetricWeight(DYN, q, q.weightZeroPoints.data.length);
}

/** torch-onednn's weight zero points, the first `count` of them: each 0 (qlinear_prepack.cpp PackedLinearWeightsOnednn::prepack). */
function checkOnednnSymmetricWeight(what: string, a: LinearArgs | DynamicLinearArgs, count: number): void {
  a.weightZeroPoints.data.slice(0, count).forEach((z, i) => {
    if (z !== 0) throw new QconformError('unsupported_by_scheme', `${what}: weight_zero_points[${i}]`, z, `${a.scheme} takes symmetric weights (torch onednn, qlinear_prepack.cpp: "ONEDNN only supports symmetric quantization of weight")`);
  });
}

/**
 * torch's order of refusals for qnnpack's dynamic linear (torch 1.13.0 and 2.6 measured alike, tests/backends/
 * torch_qnnpack_dynamic_order.test.ts), checked first on torch-qnnpack@1: the weight's construction
 * (checkTorchWeightConstruction), linear_prepack (qlinear_prepack.cpp: the weight's rank, then the bias's shape;
 * qnnpackPrepackAndRank, shared with qnnpackStaticOrder), then PackedLinearWeightsQnnp::apply_dynamic_impl
 * (qlinear_dynamic.cpp): x's rank, x's min and max (ChooseQuantizationParams; an infinity gives an infinite
 * requantization scale), then the requantization scales of the output channels (generate_requantization_scales,
 * "failed to create op with requantization scale"; a per-channel weight of fewer than N: qconform's refusal where
 * qnnpack reads past them, more: the first N, checkDynamicWeightQParams). torch never compares x's K with the weight's (it computes a linear of mismatched K; qconform
 * refuses it, after all of these).
 */
function qnnpackDynamicOrder(a: DynamicLinearArgs): void {
  checkTorchWeightConstruction(DYN, a);
  const n = qnnpackPrepackAndRank(DYN, a, ['float32']);
  checkDynamicX(a);
  checkDynamicWeightQParams(a, n);
}

/**
 * torch's order of refusals for onednn's dynamic linear (torch 1.13.0 and 2.6 measured alike, tests/backends/
 * torch_onednn_dynamic_order.test.ts), checked first on torch-onednn@1 and torch-onednn@2: the weight's construction
 * (checkTorchWeightConstruction: one scale and zero point per tensor; per channel as many scales as zero points,
 * torch._make_per_channel_quantized_tensor: "number of elements in scales and zero_points must match"), then
 * PackedLinearWeightsOnednn::prepack and x's rank (onednnPrepackAndRank), then the rest of
 * PackedLinearWeightsOnednn::apply_dynamic_impl (qlinear_dynamic.cpp): the reshape of an x of rank >= 3 to [-1, K],
 * which raises on x's K = 0 whatever the weight's K (tests/backends/torch_linear_x_k0.test.ts), a NaN in x
 * (ChooseQuantizationParams), then K (checkLinearDynamic: ideep's matmul "could not create a descriptor"). torch never
 * checks a weight scale (an infinite one computes infinities) and computes with an infinite x (torch 2.6; 1.13 raises
 * "could not execute a primitive"): qconform's refusals of those come after K.
 */
function onednnDynamicOrder(a: DynamicLinearArgs): void {
  validateShape(`${DYN}: x`, a.x);
  validateShape(`${DYN}: weight`, a.weight);
  checkTorchWeightConstruction(DYN, a);
  onednnPrepackAndRank(DYN, a, ['float32']);
  if (a.x.shape.length >= 3 && a.x.shape[a.x.shape.length - 1] === 0) {
    throw new QconformError('shape_mismatch', `${DYN}: weight`, { x: a.x.shape, weight: a.weight.shape }, notComputed(TORCH_ONEDNN_RESHAPE_K0));
  }
  checkDynamicX(a, true);
}

/**
 * linear_prepack on onednn (qlinear_prepack.cpp PackedLinearWeightsOnednn::prepack): the weight's rank ("should be
 * 2-dimensional"), its zero points, channel by channel up to N ("ONEDNN only supports symmetric quantization of
 * weight"; a per-channel weight of fewer than N raises IndexError there), the bias's shape ("bias should have N
 * elements"), then x's rank, the first rule of PackedLinearWeightsOnednn::apply_impl (qlinear.cpp) and
 * apply_dynamic_impl (qlinear_dynamic.cpp). Shared by onednnDynamicOrder and onednnStaticOrder. Returns N.
 */
function onednnPrepackAndRank(what: string, a: LinearArgs | DynamicLinearArgs, biasDtypes: readonly string[]): number {
  if (a.weight.shape.length !== 2) throw new QconformError('shape_mismatch', `${what}: weight`, a.weight.shape, 'weight is [N, K] (torch onednn, qlinear_prepack.cpp: "The weight tensor for quantized::linear_prepack (onednn) should be 2-dimensional")');
  const n = a.weight.shape[0] as number;
  const perChannel = a.weightQuantization === 'per_channel';
  checkOnednnSymmetricWeight(what, a, perChannel ? n : 1);
  if (perChannel && a.weightZeroPoints.data.length < n) {
    throw new QconformError('shape_mismatch', `${what}: weight_zero_points`, a.weightZeroPoints.shape, `per_channel weights take [${n}] (torch onednn, qlinear_prepack.cpp, reads zero point i of each output channel i: IndexError "index ${a.weightZeroPoints.data.length} out of range")`);
  }
  checkPrepackBias(what, a.scheme, a.bias, n, biasDtypes);
  checkXRank(what, a.scheme, a.x);
  return n;
}

/**
 * torch's order of refusals for onednn's static linear, whatever x's K (torch 1.13.0 and 2.6 measured alike,
 * tests/backends/torch_linear_k_mismatch_order.test.ts, and torch_linear_x_k0.test.ts for x's K = 0), checked on
 * torch-onednn@1 and torch-onednn@2 after the dtypes and the weight's construction: a bias torch does not take (the
 * torch adapter hands torch a float32 bias only: an int32 one is unsupported_by_scheme before torch runs),
 * linear_prepack and x's rank (onednnPrepackAndRank), x's dtype (PackedLinearWeightsOnednn::apply_impl, qlinear.cpp:
 * "data type of input should be QUint8"), then apply_impl's `M = input.numel() / K`, which dies of SIGFPE on x's K = 0
 * whatever the weight's K, the scales and the rest. Next torch builds ideep's matmul, which compares x's K with the
 * weight's ("could not create a descriptor": inner_dim_mismatch, shapeOf) unless the output is empty; torch checks no
 * scale or zero-point range: qconform's refusals of those (the conv's checks, checkConv2d) come after K.
 */
function onednnStaticOrder(a: LinearArgs): void {
  validateShape(`${LINEAR}: x`, a.x);
  validateShape(`${LINEAR}: weight`, a.weight);
  if (a.bias?.dtype === 'int32') throwAsLinear(schemeBiasDtypeRefusal(a.scheme, 'int32'));
  onednnPrepackAndRank(LINEAR, a, ['float32']);
  const dtype = schemeActivationRefusal(a.scheme, a.x.dtype as QuantDtype);
  if (dtype) throwAsLinear(dtype);
  if (a.x.shape[a.x.shape.length - 1] === 0) {
    throw new QconformError('shape_mismatch', `${LINEAR}: weight`, { x: a.x.shape, weight: a.weight.shape }, notComputed(TORCH_ONEDNN_STATIC_K0));
  }
}

/** Validates a dynamic linear call and returns its shape; throws the QconformError of the first broken rule (in torch's order on torch-qnnpack@1: qnnpackDynamicOrder, and on torch-onednn@1 / @2: onednnDynamicOrder). */
export function checkLinearDynamic(a: DynamicLinearArgs): LinearShape {
  assertRequantScheme(DYN, a.scheme);
  if (!(DYNAMIC_LINEAR_SCHEMES as readonly string[]).includes(a.scheme)) {
    throw new QconformError('unsupported_by_scheme', `${DYN}: scheme`, a.scheme, `the dynamic linear is modeled for ${DYNAMIC_LINEAR_SCHEMES.join(', ')} only (contract/linear.ts)`);
  }
  if (!(DYNAMIC_LINEAR_ACCUMULATORS as readonly string[]).includes(a.accumulator)) {
    throw new QconformError('unknown_scheme', `${DYN}: accumulator`, a.accumulator, `one of ${DYNAMIC_LINEAR_ACCUMULATORS.join(', ')}`);
  }
  if (a.accumulator === 'sat16_pairs' && a.scheme !== 'torch-onednn@1') {
    throw new QconformError('unsupported_by_scheme', `${DYN}: accumulator`, a.accumulator, `sat16_pairs is oneDNN 2.6's AVX2 int8 gemm: torch-onednn@1 only (${a.scheme === 'torch-qnnpack@1' ? "qnnpack's q8gemm_dq sums exactly" : 'not modelled on torch 2.6 (oneDNN 3.7)'})`);
  }
  if (a.x.dtype !== 'float32') throw new QconformError('invalid_dtype', `${DYN}: x.dtype`, a.x.dtype, 'x is float32');
  validateF32(`${DYN}: x`, a.x);
  if (a.weight.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${DYN}: weight.dtype`, a.weight.dtype, 'weights are qint8');
  if (a.scheme === 'torch-qnnpack@1') qnnpackDynamicOrder(a);
  else onednnDynamicOrder(a);
  const shape = shapeOf(DYN, a.x, a.weight, a.scheme);
  validateQuantizedValues(`${DYN}: weight`, a.weight.data, 'qint8');
  // qnnpackDynamicOrder checked x, the weight's qparams and the bias's shape; onednnDynamicOrder the bias's shape and
  // x's NaNs only: onednn's infinities and weight qparams come after K, as torch never checks them
  if (a.scheme !== 'torch-qnnpack@1') {
    checkDynamicX(a);
    checkDynamicWeightQParams(a, shape.n);
  }
  a.bias?.data.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new QconformError('bias_not_finite', `${DYN}: bias[${i}]`, v);
  });
  assertEmptyLinearComputed(DYN, a.scheme, a.x, a.weight, shape);
  checkLimit(`${DYN}: output elements`, shape.rows * shape.n, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${DYN}: multiply-accumulates (M * N * K)`, shape.rows * shape.n * shape.k, MAX_CONV_MACS, 'MAX_CONV_MACS');
  return shape;
}
