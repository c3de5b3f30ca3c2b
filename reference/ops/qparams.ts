import { type QuantDtype, isSymmetric } from '../../contract/dtypes.js';
import { QconformError } from '../../contract/errors.js';
import { type ObserverConfig, checkCalculateQparams, checkQparamsZeroPoint } from '../../contract/op_checks.js';
import type { Qparams, QparamsConfig } from '../../contract/ops.js';
import type { QuantRange } from '../../contract/qrange.js';
import { type F32Tensor, f32Tensor, intTensor } from '../../contract/tensor.js';
import { MINUS_ONE_F32, ONE_F32, ZERO_F32 } from '../constants.js';
import { f32Div, f32Mul, f32Sub, f64Div, intToF64, toF32 } from '../exact/float_arith.js';
import { fromFloat64, toNumber } from '../exact/ieee_bits.js';
import { type MinMaxRule, elementwiseKernelRule, ieeeLess, ieeeLessEqual, ieeeMax, ieeeMin } from '../exact/ieee_compare.js';
import { type IeeeValue, isNaNValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { roundRational } from '../exact/rounding.js';
import { clampInt, nearbyint, truncToInt32, wrapInt32 } from '../exact/x86_conversions.js';
import { exactElementsF32, toF32Tensor } from '../values.js';

/**
 * torch.ao.quantization.utils.check_min_max_valid (utils.py l.274): false (default qparams) when never
 * observed; NaN state and min > max are assertion failures in torch, typed errors here.
 */
export function checkMinMaxValid(mins: readonly IeeeValue[], maxs: readonly IeeeValue[], zeroDim: boolean, what: string): boolean {
  if (mins.length === 0 || maxs.length === 0) return false;
  if (zeroDim && mins[0]!.kind === 'infinity' && !mins[0]!.negative && maxs[0]!.kind === 'infinity' && maxs[0]!.negative) return false;
  // torch asserts all(min <= max) once; NaN anywhere is reported as the NaN state it comes from
  const state = (c: number) => ({ channel: c, min: toNumber(mins[c]!), max: toNumber(maxs[c]!) });
  const nanChannel = mins.findIndex((mn, i) => isNaNValue(mn) || isNaNValue(maxs[i]!));
  if (nanChannel >= 0) throw new QconformError('nan_observed', what, state(nanChannel));
  const inverted = mins.findIndex((mn, i) => !ieeeLessEqual(mn, maxs[i]!));
  if (inverted >= 0) throw new QconformError('min_greater_than_max', what, state(inverted));
  return true;
}

/** Python float (qmax - qmin) as torch's wrapped scalar: a double, rounded to float32 when it meets a float32 tensor. */
function pythonRangeAsF32(span: bigint, halve: boolean): IeeeValue {
  const asDouble = intToF64(span); // float(quant_max - quant_min)
  return toF32(halve ? f64Div(asDouble, intToF64(2n)) : asDouble); // (float(qmax - qmin) / 2) is a double division
}

export interface ChannelQparams {
  readonly scale: IeeeValue;
  /** integer zero point (affine, symmetric) or float32 (float_qparams) */
  readonly zeroPoint: bigint | IeeeValue;
}

/**
 * UniformQuantizationObserverBase._calculate_qparams (observer.py l.296) for one channel, every tensor op
 * in float32 (the state is float32), Python scalars cast to float32 where they meet a tensor; torch.min/max
 * follow `cfg.kernel` (which NaN comes out of max(NaN, eps), e.g. for a [0, 0] range):
 *   mn = min(min_val, 0), mx = max(max_val, 0)
 *   symmetric: scale = max(f32(max(-mn, mx) / f32((qmax-qmin)/2)), eps); zp = 0 | 128 | (qmin+qmax)//2
 *   affine:    scale = max(f32(f32(mx - mn) / f32(qmax-qmin)), eps)
 *              zp = clamp(wrap32(qmin - int32(nearbyint(f32(mn / scale)))), qmin, qmax)
 *   float_qparams: scale = f32(f32(max - min) / f32(qmax-qmin)), 1.0 unless > eps; zp = f32(f32(-1 * min) / scale)
 */
export function calculateChannelQparams(
  minVal: IeeeValue,
  maxVal: IeeeValue,
  cfg: { qscheme: QparamsConfig['qscheme']; dtype: QuantDtype; eps: IeeeValue; kernel: MinMaxRule },
  range: QuantRange,
): ChannelQparams {
  const { quantMin, quantMax } = range;
  const span = BigInt(quantMax) - BigInt(quantMin);
  if (cfg.qscheme === 'per_channel_affine_float_qparams') {
    const raw = f32Div(f32Sub(maxVal, minVal), pythonRangeAsF32(span, false));
    const scale = ieeeLess(cfg.eps, raw) ? raw : ONE_F32;
    return { scale, zeroPoint: f32Div(f32Mul(MINUS_ONE_F32, minVal), scale) };
  }
  const mn = ieeeMin(minVal, ZERO_F32, cfg.kernel);
  const mx = ieeeMax(maxVal, ZERO_F32, cfg.kernel);
  if (isSymmetric(cfg.qscheme)) {
    const amax = ieeeMax(f32Mul(MINUS_ONE_F32, mn), mx, cfg.kernel);
    const scale = ieeeMax(f32Div(amax, pythonRangeAsF32(span, true)), cfg.eps, cfg.kernel);
    let zeroPoint = 0n;
    // Python's (quant_min + quant_max) // 2 is a floor division: [-128, 127] gives -1
    if (cfg.dtype === 'quint8') zeroPoint = range.hasCustomizedQrange ? roundRational(Rational.of(BigInt(quantMin) + BigInt(quantMax), 2n), 'floor') : 128n;
    return { scale, zeroPoint };
  }
  const scale = ieeeMax(f32Div(f32Sub(mx, mn), pythonRangeAsF32(span, false)), cfg.eps, cfg.kernel);
  const rounded = truncToInt32(nearbyint(f32Div(mn, scale))); // torch.round(...).to(torch.int)
  const zeroPoint = clampInt(wrapInt32(BigInt(quantMin) - rounded), BigInt(quantMin), BigInt(quantMax));
  return { scale, zeroPoint };
}

/**
 * The scale/zero-point tensors _calculate_qparams returns, with torch's shapes (the state's; [1] for a 0-dim state,
 * and for the default qparams of an empty one) and zero-point dtypes, for a configuration that passed
 * checkObserverConfig and min/max state of one shape (or an empty one); `eps` is the Python float given to the observer.
 */
export function calculateQparamsFromState(minVal: F32Tensor, maxVal: F32Tensor, cfg: ObserverConfig, epsArg: number, what: string): Qparams {
  const mins = exactElementsF32(minVal);
  const maxs = exactElementsF32(maxVal);
  const zeroDim = minVal.shape.length === 0 || maxVal.shape.length === 0;
  if (!checkMinMaxValid(mins, maxs, zeroDim, what)) {
    return { scale: f32Tensor([1], [1]), zeroPoint: intTensor('int64', [1], [0]) };
  }
  checkQparamsZeroPoint(what, cfg); // torch computes the zero point only from a valid state
  const eps = toF32(fromFloat64(epsArg)); // the observer's eps buffer: torch.tensor([eps]) is float32
  const { qscheme } = cfg;
  // torch.min/torch.max over the state (contiguous, so one flat loop whatever its rank; a 0-dim state as [1]) run the
  // elementwise kernels: the path decides NaN bits
  const channels = mins.map((mn, i) =>
    calculateChannelQparams(mn, maxs[i]!, { qscheme, dtype: cfg.dtype, eps, kernel: elementwiseKernelRule(i, mins.length) }, cfg),
  );
  const shape = zeroDim ? [1] : [...minVal.shape]; // every step is elementwise: the state's shape, 0-dim made [1]
  const scale = toF32Tensor(shape, channels.map((c) => c.scale));
  if (qscheme === 'per_channel_affine_float_qparams') {
    return { scale, zeroPoint: toF32Tensor(shape, channels.map((c) => c.zeroPoint as IeeeValue)) };
  }
  const zpDtype = isSymmetric(qscheme) ? 'int64' : 'int32'; // every zero point fits int32 (checkQparamsZeroPoint)
  return { scale, zeroPoint: intTensor(zpDtype, shape, channels.map((c) => Number(c.zeroPoint as bigint))) };
}

/**
 * calculate_qparams@1 and @2: the observers' _calculate_qparams (torch/ao/quantization/observer.py l.296 in torch 1.13,
 * l.325 in 2.6, the same steps) straight from given min/max state of one shape, any rank, whatever the qscheme
 * (checkCalculateQparams; @2 differs only in its qint32 range check); calculateChannelQparams' float32 steps, element
 * by element, rounded via reference/exact.
 */
export function calculateQparams(minVal: F32Tensor, maxVal: F32Tensor, cfg: QparamsConfig): Qparams {
  return calculateQparamsFromState(minVal, maxVal, checkCalculateQparams(minVal, maxVal, cfg), cfg.eps, 'calculate_qparams');
}
