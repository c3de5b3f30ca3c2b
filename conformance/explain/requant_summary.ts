/**
 * For one output channel and one scheme: the effective requantization, as the scheme's own `prepare`
 * computes it (the impl's parameters through conformance/analysis/requant_pair.ts, which also runs the exact
 * reference's `prepare` and requires the same outcome), shown with its formula. No arithmetic is derived here:
 * the numbers are the prepared parameters, the formulas restate the doc comments of reference/requant/<scheme>.ts.
 */
import type { RequantScheme } from '../../contract/conv.js';
import { type QconformError, formatValue } from '../../contract/errors.js';
import { f32ToHex } from '../../contract/wire.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { requantPair } from '../analysis/requant_pair.js';

export interface RequantSummary {
  readonly scheme: RequantScheme;
  /** the effective parameters: float32 multipliers with their bits, or integer multiplier and shift */
  readonly params: Readonly<Record<string, string | number>>;
  readonly formula: string;
  /** the scheme refuses this channel's parameters (the error code), else null */
  readonly refused: string | null;
  /** why, when it refuses: what was checked, the value and the rule (the QconformError's own words), else null */
  readonly refusal: string | null;
}

/** What each scheme computes from the int32 accumulator (reference/requant/<scheme>.ts). */
export const REQUANT_FORMULAS: Readonly<Record<RequantScheme, string>> = {
  'exact@1': 'y = clamp(round_half_even(z_y + (acc s_x s_w + b) / s_y)) on exact rationals',
  'torch-qnnpack@1': 'M = f32(f32(s_w s_x) * f32(1/s_y)); y = clamp(cvtps2dq(f32(f32(acc + b_q) * M)) + z_y), b_q = quantize_val(b, s_w s_x, 0, qint32)',
  'torch-onednn@1': "d = f32(f32(acc) + b') * osc; relu; d = f32(d + z_y) (zero point added in float); saturate; cvtps2dq (half even)",
  'torch-onednn@2': 'd = f32(f32(acc) * f32(f32(1/f32(1/s_x)) * s_w)) + b; relu; d = f32(d * f32(1/f32(1/f32(1/s_y)))) + z_y (in float); saturate; cvtps2dq (half even)',
  'pt2e-reference-representation@1': 'b_i32 = trunc(f32(b / f32(s_x s_w))); M = f32(f32(s_x s_w) / s_y); y = clamp(trunc(f32(f32(acc + b_i32) * M)) + z_y) (truncation toward zero, twice)',
  'torch-fbgemm@1': 'y = clamp(lrintf(f32(f32(f32(acc) + b / (s_x s_w)) * M)) + z_y), M = f32(f32(s_x s_w) / s_y)',
  'onnxruntime@1': 'S = f32(f32(s_x s_w) / s_y); y = round_half_even(clamp(f32(f32(acc + b) * S), lo - z_y, hi - z_y)) + z_y',
  'xnnpack-fp32@1': 'S = f32 scale (xnnpack_scale); y = lrintf(clamp(f32(f32(acc + b) * S), lo - z_y, hi - z_y)) + z_y',
  'xnnpack-rndnu@1': 'm24 = significand of f32 S, shift from its exponent; y = clamp(((acc + b) m + 2^(shift-1)) >> shift + z_y) (ties up)',
  'tflite-double-rounding@1': 'M = f64(s_x) f64(s_w) / f64(s_y) -> (m, e) by QuantizeMultiplier; y = clamp(RDBPOT(SRDHM((acc + b) 2^max(e,0), m), max(-e,0)) + z_y)',
  'tflite-single-rounding@1': '(m, e) = QuantizeMultiplier(M); y = clamp(RHU((acc + b) m, 31 - e) + z_y) (one rounding, half up)',
  'tosa-single-round@1': '(multiplier, shift) = computeMultiplierAndShiftTosaScale32(M); y = clamp(((acc + b) multiplier + 2^(shift-1)) >> shift + z_y)',
  'tosa-double-round@1': 'as tosa-single-round, with the rounding constant moved by +-2^30 when shift > 31 (double_round)',
  'cmsis-nn@1': '(m, e) = QuantizeMultiplier(M); y = clamp(divide_by_power_of_two(doubling_high_mult_no_sat((acc + b) 2^left, m), right) + z_y)',
};

const hexF32 = (v: number) => `${v} (f32 0x${f32ToHex(v)})`;

/** The numbers a scheme's prepared parameters hold, by name, floats with their float32 bits. */
function describeParams(scheme: RequantScheme, p: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const pick = (name: string, label = name, float = false) => {
    const v = p[name];
    if (typeof v === 'number' && !Number.isNaN(v)) out[label] = float ? hexF32(v) : v;
    if (typeof v === 'bigint') out[label] = v.toString();
  };
  switch (scheme) {
    case 'torch-qnnpack@1':
      pick('multiplier', 'M', true);
      pick('biasQ', 'bias_q (int32)');
      break;
    case 'torch-onednn@1':
      pick('outputScale', 'output scale', true);
      pick('scaledBias', "b' (float32)", true);
      break;
    case 'torch-onednn@2':
      pick('accScale', 'accumulator scale', true);
      pick('bias', 'b (float32)', true);
      pick('dstScaleInverse', '1 / dst scale', true);
      break;
    case 'pt2e-reference-representation@1':
      pick('multiplier', 'M', true);
      pick('biasI32', 'b_i32 (truncated)');
      break;
    case 'torch-fbgemm@1':
      pick('multiplier', 'M', true);
      pick('biasAcc', 'b / (s_x s_w)', true);
      break;
    case 'onnxruntime@1':
    case 'xnnpack-fp32@1':
      pick('scale', 'S', true);
      pick('bias', 'b (int32)');
      break;
    case 'xnnpack-rndnu@1':
    case 'tosa-single-round@1':
    case 'tosa-double-round@1':
      pick('multiplier');
      pick('shift');
      pick('bias', 'b (int32)');
      break;
    case 'tflite-double-rounding@1':
    case 'tflite-single-rounding@1':
    case 'cmsis-nn@1':
      pick('m', 'multiplier (Q31)');
      if (scheme === 'tflite-single-rounding@1') pick('totalShift', 'shift (31 - e)');
      else {
        pick('left', 'left shift');
        pick('right', 'right shift');
      }
      pick('bias', 'b (int32)');
      break;
    case 'exact@1':
      pick('a', 'A');
      pick('b', 'B');
      pick('d', 'D');
      out['meaning'] = 'y = (acc A + B) / D exactly, before the rounding (B holds the bias and z_y D)';
      break;
    default:
      scheme satisfies never;
  }
  return out;
}

/** A refusal in a few words: what was checked, the value, the rule (the op's name and the code's generic text left out). */
function refusalText(e: QconformError): string {
  return `${e.what.replace(/^quantized_conv2d: /, '')} ${formatValue(e.value)}${e.detail ? `: ${e.detail}` : ''} [${e.code}]`;
}

export function requantSummary(scheme: RequantScheme, c: ChannelQuantF): RequantSummary {
  const pair = requantPair(scheme, c, 'wrap');
  return {
    scheme,
    params: pair.prepareError ? {} : describeParams(scheme, pair.implParams as Record<string, unknown>),
    formula: REQUANT_FORMULAS[scheme],
    refused: pair.prepareError,
    refusal: pair.prepareRefusal ? refusalText(pair.prepareRefusal) : null,
  };
}
