/**
 * The kernels' per-output-channel requantization words (conv_kernels.h channel_params), built once per prepared
 * parameter array, and the proof that lets the depthwise 3x3 kernel leave its clamp to its byte narrows.
 */
import type { RequantScheme } from '../../../contract/conv.js';
import { DTYPE_RANGE, type QuantDtype } from '../../../contract/dtypes.js';
import { tfliteInt8KernelShift } from '../../../contract/tflite_output_stage.js';
import type { FloatScaleParamsF } from '../../requant/onnxruntime.js';
import type { QnnpackParamsF } from '../../requant/torch_qnnpack.js';
import type { TfliteParamsF } from '../../requant/tflite_double_rounding.js';
import { FLOAT_SCALE_BOUND, WASM_REQUANT, type WasmRequant, qnnpackFloatBounds } from './requant_mode.js';

/** Words per output channel in the block (conv_kernels.h channel_params, padded to 16). */
export const CHANNEL_PARAM_WORDS = 16;

/** channelParamBlock per prepared-parameter array (frozen ones; impl/conv/channel_params.ts caches them per conv). */
const blockCache = new WeakMap<readonly unknown[], { readonly scheme: RequantScheme; readonly mode: WasmRequant; readonly block: Int32Array }>();

/** The kernel's channel_params words of every output channel (conv_kernels.h), built once per prepared-parameter array. */
export function channelParamBlock(scheme: RequantScheme, mode: WasmRequant, params: readonly unknown[]): Int32Array {
  const cached = blockCache.get(params);
  if (cached !== undefined && cached.scheme === scheme && cached.mode === mode) return cached.block;
  const block = new Int32Array(params.length * CHANNEL_PARAM_WORDS);
  writeChannelParams(new Float32Array(block.buffer), block, scheme, mode, params);
  if (Object.isFrozen(params)) blockCache.set(params, { scheme, mode, block });
  return block;
}

/**
 * Whether the depthwise 3x3 kernel's epilogue in `mode` may leave its clamp to the saturating narrows of one-byte
 * outputs of `dtype` (conv_params.narrow_clamps), for every channel of `block` (channelParamBlock of that mode). In
 * both modes the clamp must be the dtype's whole range (then the narrows' clamp to the dtype is the binding one):
 *  - REQUANT_FLOAT_SCALE (conv_kernels.h float_scale_unclamped): [lo, hi] holds the dtype's range less the zero point,
 *    and |f| < 2^22, where the float-scale rounding is exact, for every accumulator |acc| <= accBound:
 *    |f32(f32(acc + bias) * scale)| is at most f32(f32(accBound + |bias|) * |scale|) (float32 rounding and the product
 *    with a fixed factor are monotone), and accBound + |bias| < 2^31 keeps acc + bias from wrapping;
 *  - REQUANT_TFLITE_DOUBLE_BOUNDED (tflite_double_bounded_unclamped): [out_min, out_max] is the dtype's range (y + zp
 *    cannot wrap under the mode's own bound, requant_mode.ts tfliteDoubleBoundedHolds).
 * Other modes: false.
 */
export function narrowsClamp(block: Int32Array, mode: WasmRequant, dtype: QuantDtype, accBound: number): boolean {
  const known = narrowsClampCache.get(block);
  if (known !== undefined && known.mode === mode && known.dtype === dtype && known.accBound === accBound) return known.holds;
  const holds = mode === WASM_REQUANT.floatScale ? floatScaleChannelsNarrow(block, dtype, accBound) : mode === WASM_REQUANT.tfliteDoubleBounded && integerClampsAreDtype(block, dtype);
  narrowsClampCache.set(block, { mode, dtype, accBound, holds });
  return holds;
}

/** narrowsClamp's last verdict per channel block (channelParamBlock caches blocks per prepared parameters and mode). */
const narrowsClampCache = new WeakMap<Int32Array, { readonly mode: WasmRequant; readonly dtype: QuantDtype; readonly accBound: number; readonly holds: boolean }>();

/** narrowsClamp's float-scale conditions, channel by channel. */
function floatScaleChannelsNarrow(block: Int32Array, dtype: QuantDtype, accBound: number): boolean {
  const f32 = new Float32Array(block.buffer, block.byteOffset, block.length);
  const { min, max } = DTYPE_RANGE[dtype];
  for (let o = 0; o < block.length; o += CHANNEL_PARAM_WORDS) {
    const [scale, bias, lo, hi, zp] = [f32[o + 4]!, block[o + 5]!, f32[o + 6]!, f32[o + 7]!, block[o + 8]!];
    const biased = accBound + Math.abs(bias);
    if (!(lo <= min - zp && hi >= max - zp && biased < 2 ** 31 && Math.fround(Math.fround(biased) * Math.abs(scale)) < FLOAT_SCALE_BOUND)) return false;
  }
  return true;
}

/** Whether every channel's integer clamp (channel_params zp, out_min - zp, out_max - zp) is the dtype's whole range. */
function integerClampsAreDtype(block: Int32Array, dtype: QuantDtype): boolean {
  const { min, max } = DTYPE_RANGE[dtype];
  for (let o = 0; o < block.length; o += CHANNEL_PARAM_WORDS) {
    const zp = block[o + 8]!;
    if (block[o + 9]! + zp !== min || block[o + 10]! + zp !== max) return false;
  }
  return true;
}

/** A float-scale channel's words (conv_kernels.h channel_params scale, bias, lo, hi, zp) at word o. */
function writeFloatScaleWords(f32: Float32Array, i32: Int32Array, o: number, p: FloatScaleParamsF): void {
  f32[o + 4] = p.scale;
  i32[o + 5] = p.bias;
  f32[o + 6] = p.lo;
  f32[o + 7] = p.hi;
  i32[o + 8] = p.zeroPoint;
}

/** Each channel's channel_params words from the scheme's prepared parameters (f32 and i32 view the same block). */
function writeChannelParams(f32: Float32Array, i32: Int32Array, scheme: RequantScheme, mode: WasmRequant, params: readonly unknown[]): void {
  for (let oc = 0; oc < params.length; oc++) {
    const o = oc * CHANNEL_PARAM_WORDS; // conv_kernels.h channel_params: m4[4], scale, bias, lo, hi, zp, out_min, out_max, left, right, out_shift
    if (mode === WASM_REQUANT.floatScale && scheme === 'torch-qnnpack@1') {
      const p = params[oc] as QnnpackParamsF;
      writeFloatScaleWords(f32, i32, o, { scale: p.multiplier, bias: p.biasQ, ...qnnpackFloatBounds(p), zeroPoint: p.zeroPoint });
    } else if (mode === WASM_REQUANT.floatScale) {
      writeFloatScaleWords(f32, i32, o, params[oc] as FloatScaleParamsF);
    } else if (mode === WASM_REQUANT.qnnpack) {
      const p = params[oc] as QnnpackParamsF;
      f32[o + 4] = p.multiplier;
      i32[o + 5] = p.biasQ;
      i32[o + 8] = p.zeroPoint;
      i32[o + 9] = p.outMin;
      i32[o + 10] = p.outMax;
    } else if (mode === WASM_REQUANT.tfliteDouble || mode === WASM_REQUANT.tfliteDoubleBounded || mode === WASM_REQUANT.tfliteSingle) {
      const p = params[oc] as TfliteParamsF;
      i32.fill(p.m, o, o + 4);
      i32[o + 5] = p.bias;
      if (mode === WASM_REQUANT.tfliteDoubleBounded) {
        // y + zp cannot wrap in the bounded form: zp is added after the clamp to [outMin - zp, outMax - zp] (add_zp_clamp)
        i32[o + 8] = p.c.yZeroPoint;
        i32[o + 9] = p.c.outMin - p.c.yZeroPoint;
        i32[o + 10] = p.c.outMax - p.c.yZeroPoint;
      } else {
        // TFLite's output stage (tflite_output_stage): zero point and bounds in the output dtype's int8 kernel, then its shift
        const shift = tfliteInt8KernelShift(p.c.outMax);
        i32[o + 8] = p.c.yZeroPoint - shift;
        i32[o + 9] = p.c.outMin - shift;
        i32[o + 10] = p.c.outMax - shift;
        i32[o + 13] = shift;
      }
      i32[o + 11] = mode === WASM_REQUANT.tfliteSingle ? p.totalShift : p.left;
      i32[o + 12] = p.right;
    }
  }
}
