/**
 * Which requantization the WebAssembly conv kernels apply themselves (conv_kernels.h REQUANT_*), per scheme and
 * prepared per-channel parameters: the float-scale epilogue (onnxruntime@1, xnnpack-fp32@1, and torch-qnnpack@1 when it
 * reduces to one), qnnpack's cvtps2dq emulation, or tflite's fixed point; none where the kernel cannot give the
 * scheme's outputs bit for bit (the JavaScript scheme requantizes the accumulators then).
 */
import type { RequantScheme } from '../../../contract/conv.js';
import type { FloatScaleParamsF } from '../../requant/onnxruntime.js';
import { type QnnpackParamsF, qnnpackOutput } from '../../requant/torch_qnnpack.js';
import type { TfliteParamsF } from '../../requant/tflite_double_rounding.js';

/** conv_kernels.h REQUANT_*: which requantization the kernel applies itself. */
export const WASM_REQUANT = { none: 0, floatScale: 1, qnnpack: 2, tfliteDouble: 3, tfliteSingle: 4, tfliteDoubleBounded: 5 } as const;
export type WasmRequant = (typeof WASM_REQUANT)[keyof typeof WASM_REQUANT];

/** The float clamp bounds below which the kernel's float-scale rounding (the 1.5 * 2^23 addition) is exact. */
export const FLOAT_SCALE_BOUND = 2 ** 22;

/** wasmRequantMode per prepared-parameter array (impl/conv/channel_params.ts caches and freezes them, one per scheme). */
const modeCache = new WeakMap<readonly unknown[], { readonly scheme: RequantScheme; readonly mode: WasmRequant }>();

/**
 * The scheme's epilogue in the kernel when the accumulator wraps (with `exact` the JavaScript scheme checks the
 * int32 additions); `params` are the scheme's prepared per-channel parameters.
 */
export function wasmRequantMode(scheme: RequantScheme, wraps: boolean, params: readonly unknown[]): WasmRequant {
  if (!wraps) return WASM_REQUANT.none;
  const cached = modeCache.get(params);
  if (cached !== undefined && cached.scheme === scheme) return cached.mode;
  const mode = wrappingRequantMode(scheme, params);
  if (Object.isFrozen(params)) modeCache.set(params, { scheme, mode });
  return mode;
}

/**
 * wasmRequantMode's verdict for a wrapping accumulator, uncached: a scheme's kernel epilogue when every channel allows it
 * (torch-qnnpack@1: the float-scale one when every channel reduces to it, else REQUANT_QNNPACK), none otherwise.
 */
export function wrappingRequantMode(scheme: RequantScheme, params: readonly unknown[]): WasmRequant {
  if (scheme === 'onnxruntime@1' || scheme === 'xnnpack-fp32@1') {
    const inRange = (params as readonly FloatScaleParamsF[]).every((p) => Math.abs(p.lo) < FLOAT_SCALE_BOUND && Math.abs(p.hi) < FLOAT_SCALE_BOUND);
    return inRange ? WASM_REQUANT.floatScale : WASM_REQUANT.none;
  }
  if (scheme === 'torch-qnnpack@1') return (params as readonly QnnpackParamsF[]).every(qnnpackIsFloatScale) ? WASM_REQUANT.floatScale : WASM_REQUANT.qnnpack;
  if (scheme === 'tflite-double-rounding@1') {
    // shiftLeftWrap's k <= 30 and RDBPOT's n <= 31 (quantizeMultiplier gives them; a larger one stays in JavaScript)
    const ok = (params as readonly TfliteParamsF[]).every((p) => p.left <= 30 && p.right <= 31 && tfliteOutputOk(p));
    return ok ? WASM_REQUANT.tfliteDouble : WASM_REQUANT.none;
  }
  if (scheme === 'tflite-single-rounding@1') {
    const ok = (params as readonly TfliteParamsF[]).every((p) => p.totalShift >= 1 && p.totalShift <= 62 && tfliteOutputOk(p));
    return ok ? WASM_REQUANT.tfliteSingle : WASM_REQUANT.none;
  }
  return WASM_REQUANT.none;
}

/**
 * torch-qnnpack@1 as the float-scale epilogue (conv_kernels.h REQUANT_FLOAT_SCALE, two fewer steps per vector than
 * REQUANT_QNNPACK's cvtps2dq emulation). With r = cvtps2dq(f), f = f32(f32(acc + bq) * M), the output is
 * qnnpackOutput(r) = clamp(clamp(sat16(sat16(r) + zp), 0, 255), outMin, outMax). Each step is a clamp of r + zp (sat16(r) + zp =
 * clamp(r + zp, zp - 32768, zp + 32767)) and a monotone function of a clamp is the clamp of the function
 * (m(median(a, v, b)) = median(m(a), m(v), m(b)) for monotone m and a <= b), so with outMin <= outMax the output is
 * clamp(r + zp, L, H), L = qnnpackOutput(INT32_MIN), H = qnnpackOutput(INT32_MAX): the composite of clamps is one clamp
 * whose bounds are its values at the ends. Rounding (half to even) is monotone and fixes integers, so
 * clamp(round(f), L - zp, H - zp) = round(clamp(f, L - zp, H - zp)): the float-scale kernel with lo = L - zp,
 * hi = H - zp (integers of magnitude below 2^17, exact in float32) computes it, except where cvtps2dq overflows
 * (f >= 2^31 gives INT32_MIN, hence L, where the float clamp gives H). That needs M >= 1: with M < 1,
 * f32(acc + bq) <= 2^31 and f32(acc + bq) * M is either 2^31 M (exact, < 2^31) or below 2^31 - 128, which float32
 * represents, so f < 2^31. f < -2^31 (INT32_MIN) clamps to L either way. Proved on all 2^32 accumulators against the
 * reference by tests/impl/wasm_requant.test.ts.
 */
function qnnpackIsFloatScale(p: QnnpackParamsF): boolean {
  return p.multiplier < 1 && p.outMin <= p.outMax && Math.abs(p.zeroPoint) < 2 ** 16;
}

/** The float-scale kernel's clamp bounds and zero point for a torch-qnnpack@1 channel (qnnpackIsFloatScale). */
export function qnnpackFloatBounds(p: QnnpackParamsF): { lo: number; hi: number } {
  return { lo: qnnpackOutput(-(2 ** 31), p) - p.zeroPoint, hi: qnnpackOutput(2 ** 31 - 1, p) - p.zeroPoint };
}

/** The kernel's int32 lanes hold the multiplier, the zero point and the clamp bounds, shifted by the zero point or by 128 (channel_block.ts). */
function tfliteOutputOk(p: TfliteParamsF): boolean {
  return p.m >= 0 && p.m < 2 ** 31 && p.c.outMin <= p.c.outMax && Math.abs(p.c.yZeroPoint) < 2 ** 16 && Math.abs(p.c.outMin) < 2 ** 16 && Math.abs(p.c.outMax) < 2 ** 16;
}

/** tfliteDoubleBoundedHolds's last verdict per prepared-parameter array (frozen ones, as modeCache). */
const boundedCache = new WeakMap<readonly unknown[], { readonly accBound: number; readonly holds: boolean }>();

/**
 * Whether tflite-double-rounding@1's kernel epilogue may take its bounded form (conv_kernels.h
 * REQUANT_TFLITE_DOUBLE_BOUNDED, tflite_double_bounded_rounded) for every channel of `params`, prepared parameters
 * for which wrappingRequantMode chose REQUANT_TFLITE_DOUBLE (so m in [0, 2^31), right <= 31, |zp| < 2^16), when every
 * accumulator has |acc| <= accBound: right >= 1, left = 0 (prepareTflite never gives both shifts), and
 * accBound + |bias| < 2^30, which bounds every biased accumulator a = acc + bias below 2^30 (no int32 wrap, and 2a is
 * exact in int32).
 */
export function tfliteDoubleBoundedHolds(params: readonly unknown[], accBound: number): boolean {
  const known = boundedCache.get(params);
  if (known !== undefined && known.accBound === accBound) return known.holds;
  const holds = (params as readonly TfliteParamsF[]).every((p) => p.right >= 1 && p.left === 0 && accBound + Math.abs(p.bias) < 2 ** 30);
  if (Object.isFrozen(params)) boundedCache.set(params, { accBound, holds });
  return holds;
}
