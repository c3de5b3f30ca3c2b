import { QconformError } from '../contract/errors.js';
import type { Qparams, QparamsConfig } from '../contract/ops.js';
import { type F32Tensor, f32Tensor, intTensor } from '../contract/tensor.js';
import { clampInt, f32Div, f32Sub, nearbyint, trunc32, wrapInt32 } from './float32.js';
import { type ResolvedQparamsConfig, withEps } from './qparams_config.js';
import { checkCalculateQparams, checkQparamsZeroPoint } from '../contract/op_checks.js';
import { elementwiseMax, elementwiseMin, storeKernelResult } from './torch_minmax.js';

/**
 * torch.ao.quantization.observer.UniformQuantizationObserverBase._calculate_qparams
 * (torch/ao/quantization/observer.py) with check_min_max_valid (torch/ao/quantization/utils.py),
 * torch 1.13.1. Every tensor op is float32; Python scalars meeting a float32 tensor are cast to
 * float32 first. The one function behind calculate_qparams and every min/max observer.
 *
 * `zeroDim` says the statistics are 0-dim tensors (per-tensor observers): then the outputs are
 * reshaped to [1], as torch does with `torch.tensor([float(scale)])` / `torch.tensor([int(zp)])`.
 * Otherwise they take `stateShape`, the statistics' shape (default [C]): every step is elementwise, over the
 * contiguous statistics as one flat loop whatever their rank. `what` names the op in refusals, as reference names it
 * (reference/ops/qparams.ts calculateQparamsFromState): 'min_max_observer', 'histogram_observer@2', ...
 */
export function qparamsFromMinMax(what: string, minVal: Float32Array, maxVal: Float32Array, zeroDim: boolean, cfg: ResolvedQparamsConfig, stateShape: readonly number[] = [minVal.length]): Qparams {
  if (!checkMinMaxValid(minVal, maxVal, zeroDim, what)) return defaultQparams();
  checkQparamsZeroPoint(what, cfg); // torch computes the zero point only from a valid state: it fits int32 then
  const channels = minVal.length;
  const shape = zeroDim ? [1] : [...stateShape];
  const scale = new Float32Array(channels);
  switch (cfg.qscheme) {
    case 'per_tensor_symmetric':
    case 'per_channel_symmetric': {
      const zeroPoint = symmetricZeroPoint(cfg);
      for (let c = 0; c < channels; c++) storeKernelResult(scale, c, symmetricScale(minVal[c] as number, maxVal[c] as number, c, channels, cfg), channels);
      return { scale: f32Tensor(shape, scale), zeroPoint: intTensor('int64', shape, new Int32Array(channels).fill(zeroPoint)) };
    }
    case 'per_channel_affine_float_qparams': {
      const zeroPoint = new Float32Array(channels);
      for (let c = 0; c < channels; c++) {
        const s = floatQparamsScale(minVal[c] as number, maxVal[c] as number, cfg);
        scale[c] = s;
        zeroPoint[c] = f32Div(-(minVal[c] as number), s); // zero_point = -1 * min_val / scale (-1 * x is exact)
      }
      return { scale: f32Tensor(shape, scale), zeroPoint: f32Tensor(shape, zeroPoint) };
    }
    case 'per_tensor_affine':
    case 'per_channel_affine': {
      const zeroPoint = new Int32Array(channels);
      for (let c = 0; c < channels; c++) {
        const mn = elementwiseMin(minVal[c] as number, 0, c, channels);
        const s = affineScale(mn, elementwiseMax(maxVal[c] as number, 0, c, channels), c, channels, cfg);
        storeKernelResult(scale, c, s, channels);
        zeroPoint[c] = affineZeroPoint(mn, s, cfg);
      }
      return { scale: f32Tensor(shape, scale), zeroPoint: intTensor('int32', shape, zeroPoint) };
    }
  }
}

/**
 * The calculate_qparams op: validates the observer configuration and min_val/max_val (float32 of one shape, any
 * rank, or an empty one: checkCalculateQparams), then qparamsFromMinMax with the state's shape.
 */
export function calculateQparams(minVal: F32Tensor, maxVal: F32Tensor, a: QparamsConfig): Qparams {
  const checked = checkCalculateQparams(minVal, maxVal, a);
  const zeroDim = minVal.shape.length === 0 || maxVal.shape.length === 0;
  return qparamsFromMinMax('calculate_qparams', minVal.data, maxVal.data, zeroDim, withEps(checked, a), minVal.shape);
}

/** `torch.tensor([1.0]), torch.tensor([0])`: float32 [1] and int64 [1], returned for unobserved statistics. */
function defaultQparams(): Qparams {
  return { scale: f32Tensor([1], [1]), zeroPoint: intTensor('int64', [1], [0]) };
}

/**
 * check_min_max_valid: false (use the defaults) when the statistics are empty, or 0-dim and never
 * observed (min = +inf, max = -inf); otherwise it asserts min <= max elementwise. A NaN anywhere
 * fails that assertion (nan_observed, reported first), then min > max (min_greater_than_max). `what` names the op
 * (reference/ops/qparams.ts checkMinMaxValid).
 */
export function checkMinMaxValid(minVal: Float32Array, maxVal: Float32Array, zeroDim: boolean, what: string): boolean {
  if (minVal.length === 0 || maxVal.length === 0) return false;
  if (zeroDim && minVal[0] === Infinity && maxVal[0] === -Infinity) return false;
  for (let c = 0; c < minVal.length; c++) {
    if (Number.isNaN(minVal[c]) || Number.isNaN(maxVal[c])) throw new QconformError('nan_observed', what, { channel: c, min: minVal[c], max: maxVal[c] });
  }
  for (let c = 0; c < minVal.length; c++) {
    if ((minVal[c] as number) > (maxVal[c] as number)) throw new QconformError('min_greater_than_max', what, { channel: c, min: minVal[c], max: maxVal[c] });
  }
  return true;
}

/**
 * Symmetric scale of channel c of `count`:
 * `max(max(-min(min_val, 0), max(max_val, 0)) / ((quant_max - quant_min) / 2), eps)`.
 * Domains: the half range is a Python double cast to float32 (qint32: f32(2147483647.5) = 2^31);
 * negation exact; min/max are torch.minimum/maximum (NaN-propagating, torch's tie rule for c);
 * division float32.
 */
function symmetricScale(minVal: number, maxVal: number, c: number, count: number, cfg: ResolvedQparamsConfig): number {
  const minValNeg = elementwiseMin(minVal, 0, c, count);
  const amax = elementwiseMax(-minValNeg, elementwiseMax(maxVal, 0, c, count), c, count);
  const halfRangeF = Math.fround((cfg.quantMax - cfg.quantMin) / 2);
  return elementwiseMax(f32Div(amax, halfRangeF), cfg.epsF, c, count);
}

/** Symmetric zero point (int64): 0, except quint8: 128, or (quant_min + quant_max) // 2 with a custom range. */
function symmetricZeroPoint(cfg: ResolvedQparamsConfig): number {
  if (cfg.dtype !== 'quint8') return 0;
  return cfg.hasCustomizedQrange ? Math.floor((cfg.quantMin + cfg.quantMax) / 2) : 128;
}

/**
 * Affine scale of channel c of `count`: `max((max_val_pos - min_val_neg) / float(quant_max - quant_min), eps)`.
 * Domains: float32 subtraction; the range is a Python float cast to float32 (qint32: f32(4294967295) = 2^32); float32 division.
 */
function affineScale(minValNeg: number, maxValPos: number, c: number, count: number, cfg: ResolvedQparamsConfig): number {
  const rangeF = Math.fround(cfg.quantMax - cfg.quantMin);
  return elementwiseMax(f32Div(f32Sub(maxValPos, minValNeg), rangeF), cfg.epsF, c, count);
}

/**
 * Affine zero point (int32): `clamp(quant_min - torch.round(min_val_neg / scale).to(torch.int), quant_min, quant_max)`.
 * Domains: float32 division, half-even rounding, float -> int32 truncation (NaN/out of range ->
 * INT32_MIN), int32 subtraction with wraparound, int clamp.
 */
function affineZeroPoint(minValNeg: number, scale: number, cfg: ResolvedQparamsConfig): number {
  const rounded = trunc32(nearbyint(f32Div(minValNeg, scale)));
  return clampInt(wrapInt32(cfg.quantMin - rounded), cfg.quantMin, cfg.quantMax);
}

/**
 * per_channel_affine_float_qparams scale: `(max_val - min_val) / float(quant_max - quant_min)`,
 * replaced by 1.0 unless > eps. Uses the raw min/max (0 is not forced into the range). float32.
 */
function floatQparamsScale(minVal: number, maxVal: number, cfg: ResolvedQparamsConfig): number {
  const rangeF = Math.fround(cfg.quantMax - cfg.quantMin);
  const scale = f32Div(f32Sub(maxVal, minVal), rangeF);
  return scale > cfg.epsF ? scale : 1;
}
