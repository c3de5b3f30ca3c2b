/**
 * quantized_conv2d@1's accumulation (and, for onnxruntime@1, xnnpack-fp32@1, torch-qnnpack@1 and both tflite schemes,
 * its requantization) in WebAssembly SIMD128:
 * the JavaScript side of impl/conv/wasm/conv_kernels.c. It prepacks the weights once per weight tensor
 * (cached), lays out the module's memory, fills the kernel's parameter block and calls one kernel per
 * batch element (WasmKernel): the depthwise 3x3 fast path (one input channel per group, 3x3, horizontal stride 1,
 * vertical stride 1 or 2, no dilation; depthwise_3x3_kernels.c), the depthwise kernel (one input channel per group,
 * horizontal stride 1, any other size) or the general one (channel-pair dot products; a 1x1 conv with stride 1 and
 * no padding runs as one flat row).
 *
 * Covered: the `int32_wrap` accumulator, `sat16_pairs` and `sat16_pairs_im2col` with an even number of input
 * channels per group (the clamp correction of each raw pair sum added to the centered sum, conv_kernels.c
 * conv_general_sat16), and `exact` whenever max|x - z_x| * sum|w - z_w| < 2^31 proves that int32 holds every
 * accumulator exactly. `wasmConvAccumulators` returns null otherwise (sat16_pairs_f32_zp, whose float32
 * compensation the scheme requantizes as a float; sat16_pairs_im2col with odd Cg, whose pairs straddle taps; a
 * bound that does not hold) and the caller runs the JavaScript path.
 */
import type { Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { type IntData, copyOfIntData } from '../../contract/tensor.js';
import type { FloatScaleParamsF } from '../requant/onnxruntime.js';
import { type QnnpackParamsF, qnnpackOutput } from '../requant/torch_qnnpack.js';
import type { TfliteParamsF } from '../requant/tflite_double_rounding.js';
import { type ConvKernelModule, align16, convKernelModule } from './wasm/kernel_module.js';
import { dtypeByteArray } from './conv_out.js';

/** conv_kernels.c REQUANT_*: which requantization the kernel applies itself. */
export const WASM_REQUANT = { none: 0, floatScale: 1, qnnpack: 2, tfliteDouble: 3, tfliteSingle: 4 } as const;
export type WasmRequant = (typeof WASM_REQUANT)[keyof typeof WASM_REQUANT];

/** The float clamp bounds below which the kernel's float-scale rounding (the 1.5 * 2^23 addition) is exact. */
const FLOAT_SCALE_BOUND = 2 ** 22;

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

function wrappingRequantMode(scheme: RequantScheme, params: readonly unknown[]): WasmRequant {
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
function qnnpackFloatBounds(p: QnnpackParamsF): { lo: number; hi: number } {
  return { lo: qnnpackOutput(-(2 ** 31), p) - p.zeroPoint, hi: qnnpackOutput(2 ** 31 - 1, p) - p.zeroPoint };
}

/** The kernel's int32 lanes hold the multiplier and the shifted clamp bounds (outMin - zp, outMax - zp). */
function tfliteOutputOk(p: TfliteParamsF): boolean {
  return p.m >= 0 && p.m < 2 ** 31 && p.c.outMin <= p.c.outMax && Math.abs(p.c.yZeroPoint) < 2 ** 16 && Math.abs(p.c.outMin) < 2 ** 16 && Math.abs(p.c.outMax) < 2 ** 16;
}

/** conv_kernels.c conv_params, word by word. */
const PARAM_NAMES = ['c', 'h', 'w', 'groups', 'icg', 'ocg', 'kh', 'kw', 'sh', 'sw', 'dh', 'dw', 'ph', 'pw', 'oh', 'ow', 'zx', 'pairs', 'ocb', 'hp', 'e', 'l', 'nv', 'mode', 'x', 'xp', 'taps', 'wp', 'cp', 'out', 'sat16', 'xr', 'wr', 'zr', 'rpad', 'xstorage', 'ostorage', 'xcheck', 'narrow_clamps'] as const;
type ParamName = (typeof PARAM_NAMES)[number];
/** Each parameter's word in the block. */
const WORD = Object.fromEntries(PARAM_NAMES.map((name, i) => [name, i])) as Record<ParamName, number>;
/** conv_params.xmin and xmax (words after PARAM_NAMES): the depthwise 3x3 kernel writes the raw input's range there (0 and 0 when conv_params.xcheck is 0). */
const XMIN_WORD = PARAM_NAMES.length;
const PARAM_WORDS = PARAM_NAMES.length + 2;
const CHANNEL_PARAM_WORDS = 16;

/** conv_kernels.h STORAGE_*: how the depthwise 3x3 kernel reads the input and stores the outputs. */
const STORAGE = { i32: 0, u8: 1, i8: 2 } as const;
type Storage = (typeof STORAGE)[keyof typeof STORAGE];

function storageOf(d: IntData): Storage {
  return d instanceof Uint8Array ? STORAGE.u8 : d instanceof Int8Array ? STORAGE.i8 : STORAGE.i32;
}

/** conv_kernels.h storage_bytes: bytes per element of a storage. */
function storageBytes(s: Storage): number {
  return s === STORAGE.i32 ? 4 : 1;
}

interface PackedWeights {
  /** what the packing is of (weightKey): a hit requires equal ones */
  readonly key: WeightKey;
  /** the weight values packed (a cache hit requires the tensor's data to still equal them) */
  readonly raw: IntData;
  /** the weight zero points they were centered with (a hit requires equal ones) */
  readonly zeroPoints: IntData;
  /** int16 pairs as words; general: [g][ocb][t][4]; depthwise: [oc][ceil(kh / 2)][kw], vertical taps 2a and 2a + 1 */
  readonly data: Int32Array;
  /** max over output channels of sum |w - z_w| */
  readonly maxAbsSum: number;
  /** max |w - z_w| */
  readonly maxAbs: number;
}

/** Per weight tensor, its packings (a sat16_pairs conv uses the centered and the raw one). */
const weightCache = new WeakMap<IntData, PackedWeights[]>();

/** The kernel a conv runs on (wasm_conv.ts picks it from the geometry; general_sat16 is the general one with a sat16 accumulator). */
export type WasmKernel = 'general' | 'general_sat16' | 'depthwise' | 'depthwise_3x3';

/**
 * How many convs each kernel computed, and `narrow_clamps`: those of the depthwise 3x3 kernel whose float-scale clamp
 * the saturating narrows to byte outputs applied (floatScaleNarrowsClamp). For tests: which path ran.
 */
export type WasmKernelCounts = Partial<Record<WasmKernel | 'narrow_clamps', number>>;

/** A weight packing: the depthwise kernels share one ([oc][ceil(kh / 2)][kw] vertical pairs). */
type Kind = 'general' | 'depthwise';

/** The depthwise 3x3 fast path's geometry: one input channel per group, 3x3, stride (1 or 2, 1), no dilation. */
function isDepthwise3x3(a: Conv2dArgs, g: ConvGeometry): boolean {
  return g.icg === 1 && g.kh === 3 && g.kw === 3 && a.stride[1] === 1 && (a.stride[0] === 1 || a.stride[0] === 2) && a.dilation[0] === 1 && a.dilation[1] === 1;
}

/** A packing's identity besides the weight values and zero points: kind, raw or centered, the weight's shape, groups and per-channel. */
interface WeightKey {
  readonly kind: Kind;
  readonly raw: boolean;
  readonly shape: readonly number[];
  readonly groups: number;
  readonly perChannel: boolean;
}

function weightKey(a: Conv2dArgs, g: ConvGeometry, kind: Kind, raw: boolean): WeightKey {
  return { kind, raw, shape: [...a.weight.shape], groups: g.groups, perChannel: g.perChannel };
}

/** Whether `k` is the key of this conv's packing (field by field: a formatted string key cost ~1.5 us per call). */
function isKeyOf(k: WeightKey, a: Conv2dArgs, g: ConvGeometry, kind: Kind, raw: boolean): boolean {
  const s = a.weight.shape;
  if (k.kind !== kind || k.raw !== raw || k.groups !== g.groups || k.perChannel !== g.perChannel || k.shape.length !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (k.shape[i] !== s[i]) return false;
  return true;
}

/**
 * The weights centered per output channel (`raw`: as they are) and packed for `kind` (XNNPACK-style prepack), cached
 * per weight tensor; null when a value is outside qint8 (only weights inside it are cached, so a hit needs no range check).
 */
function packedWeights(mod: ConvKernelModule, a: Conv2dArgs, g: ConvGeometry, kind: Kind, raw = false): PackedWeights | null {
  const entries = weightCache.get(a.weight.data) ?? [];
  let cached: PackedWeights | undefined;
  for (const e of entries) if (isKeyOf(e.key, a, g, kind, raw)) cached = e;
  if (cached && sameWords(mod, cached.zeroPoints, a.weightZeroPoints.data) && sameWords(mod, cached.raw, a.weight.data)) return cached;
  const w = a.weight.data;
  const { min, max } = DTYPE_RANGE.qint8;
  for (let i = 0; i < w.length; i++) if ((w[i] as number) < min || (w[i] as number) > max) return null;
  const taps = g.kh * g.kw;
  const per = g.icg * taps;
  const centered = (oc: number, i: number) => (w[oc * per + i] as number) - (raw ? 0 : (a.weightZeroPoints.data[g.perChannel ? oc : 0] as number));
  let maxAbsSum = 0;
  let maxAbs = 0;
  for (let oc = 0; oc < g.oc; oc++) {
    let s = 0;
    for (let i = 0; i < per; i++) {
      const v = Math.abs(centered(oc, i));
      s += v;
      if (v > maxAbs) maxAbs = v;
    }
    if (s > maxAbsSum) maxAbsSum = s;
  }
  let data: Int32Array;
  if (kind === 'depthwise') {
    const rowPairs = Math.ceil(g.kh / 2);
    data = new Int32Array(g.oc * rowPairs * g.kw);
    if (maxAbs <= 32767) {
      for (let oc = 0; oc < g.oc; oc++) {
        for (let r = 0; r < rowPairs; r++) {
          for (let b = 0; b < g.kw; b++) {
            const lo = centered(oc, 2 * r * g.kw + b) & 0xffff;
            const hi = 2 * r + 1 < g.kh ? centered(oc, (2 * r + 1) * g.kw + b) << 16 : 0;
            data[(oc * rowPairs + r) * g.kw + b] = lo | hi;
          }
        }
      }
    }
  } else {
    const pairs = Math.ceil(g.icg / 2);
    const ocb = Math.ceil(g.ocg / 4);
    const T = pairs * taps;
    data = new Int32Array(g.groups * ocb * T * 4);
    if (maxAbs <= 32767) {
      for (let grp = 0; grp < g.groups; grp++) {
        for (let b = 0; b < ocb; b++) {
          for (let j = 0; j < 4 && b * 4 + j < g.ocg; j++) {
            const oc = grp * g.ocg + b * 4 + j;
            for (let p = 0; p < pairs; p++) {
              for (let t = 0; t < taps; t++) {
                const lo = centered(oc, 2 * p * taps + t) & 0xffff;
                const hi = 2 * p + 1 < g.icg ? centered(oc, (2 * p + 1) * taps + t) << 16 : 0;
                data[((grp * ocb + b) * T + p * taps + t) * 4 + j] = lo | hi;
              }
            }
          }
        }
      }
    }
  }
  const packed = { key: weightKey(a, g, kind, raw), raw: copyOfIntData(a.weight.data), zeroPoints: copyOfIntData(a.weightZeroPoints.data), data, maxAbsSum, maxAbs };
  weightCache.set(a.weight.data, [...entries.filter((e) => !isKeyOf(e.key, a, g, kind, raw)).slice(-2), packed]);
  return packed;
}

/** Whether a weight tensor's data still holds the values a cache entry was packed from (the caller may have written to it). */
function sameValues(a: IntData, b: IntData): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Below this many words a JavaScript loop compares about as fast as two copies into WebAssembly and a SIMD compare. */
const WASM_COMPARE_WORDS = 128;

/**
 * sameValues for a weight tensor or its zero points: both arrays copied into the module's free memory (the conv's
 * layout is written there afterwards) and compared with SIMD. Measured (node 20, loaded host): 256 words 0.12 us
 * against 0.35 us for the JavaScript loop, 2304 (depthwise 3x3, 256 channels) 0.76 against 5.6 us, 4096 1.5 against 9.5 us.
 */
function sameWords(mod: ConvKernelModule, packedFrom: IntData, data: IntData): boolean {
  if (packedFrom.length !== data.length) return false;
  if (data.length < WASM_COMPARE_WORDS) return sameValues(packedFrom, data);
  const storage = storageOf(data);
  if (storage !== STORAGE.i32 && storageOf(packedFrom) === storage) return sameBytes(mod, packedFrom as Uint8Array | Int8Array, data as Uint8Array | Int8Array);
  const at = align16(mod.heapBase);
  const bAt = align16(at + data.length * 4);
  const mem = mod.memoryOfAtLeast(bAt + data.length * 4);
  mem.i32.set(packedFrom, at / 4);
  mem.i32.set(data, bAt / 4);
  return mod.wordsEqual(at, bAt, data.length) === 1;
}

/** sameWords for two arrays of one one-byte type: copied as bytes (no widening), compared as whole words, then the last 0..3 bytes. */
function sameBytes(mod: ConvKernelModule, packedFrom: Uint8Array | Int8Array, data: Uint8Array | Int8Array): boolean {
  const at = align16(mod.heapBase);
  const bAt = align16(at + data.length);
  const mem = mod.memoryOfAtLeast(bAt + data.length);
  const view = data instanceof Int8Array ? mem.i8 : mem.u8;
  view.set(packedFrom, at);
  view.set(data, bAt);
  const words = data.length >> 2;
  if (mod.wordsEqual(at, bAt, words) !== 1) return false;
  for (let i = words * 4; i < data.length; i++) if (packedFrom[i] !== data[i]) return false;
  return true;
}

/** max |x - z_x| over the activation dtype's range. */
function inputMaxAbs(a: Conv2dArgs, g: ConvGeometry): number {
  const [lo, hi] = g.dtype === 'quint8' ? [0, 255] : [-128, 127];
  return Math.max(Math.abs(lo - a.xZeroPoint), Math.abs(hi - a.xZeroPoint));
}

/** The kernel's geometry words of one batch element (the addresses and the accumulator's words are the caller's). */
function kernelGeometry(a: Conv2dArgs, g: ConvGeometry, kernel: WasmKernel, mode: WasmRequant): Int32Array {
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const [ph, pw] = a.padding;
  // A 1x1 conv with stride 1 and no padding is one flat row: H x W inputs, OH x OW (= H x W) outputs.
  const flat = (kernel === 'general' || kernel === 'general_sat16') && g.kh === 1 && g.kw === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0;
  const oh = flat ? 1 : g.oh;
  const ow = flat ? g.oh * g.ow : g.ow;
  const nv = Math.ceil(ow / 4);
  const depthwise = kernel === 'depthwise' || kernel === 'depthwise_3x3';
  const e = depthwise || sw === 1 ? 1 : g.kw; // with e === 1 and sw > 1 (kw === 1) the one copy is the strided one
  // A fresh array per call (a small off-heap ArrayBuffer, ~1 us), deliberately: one module-level array reused instead
  // made every fresh 800 KB output page-fault in again (conv_profile, depthwise 3x3 bench layer, fresh outputs: 196
  // minor faults per call, median 0.25 -> 0.52 ms), presumably because without a small allocation made in between,
  // glibc returns the freed output at the heap's top to the system and the next one is faulted in again.
  const p = new Int32Array(PARAM_WORDS);
  p[WORD.c] = g.c;
  p[WORD.h] = flat ? 1 : g.h;
  p[WORD.w] = flat ? g.h * g.w : g.w;
  p[WORD.groups] = g.groups;
  p[WORD.icg] = g.icg;
  p[WORD.ocg] = g.ocg;
  p[WORD.kh] = g.kh;
  p[WORD.kw] = g.kw;
  p[WORD.sh] = sh;
  p[WORD.sw] = sw;
  p[WORD.dh] = dh;
  p[WORD.dw] = dw;
  p[WORD.ph] = ph;
  p[WORD.pw] = pw;
  p[WORD.oh] = oh;
  p[WORD.ow] = ow;
  p[WORD.zx] = a.xZeroPoint;
  p[WORD.pairs] = depthwise ? 1 : Math.ceil(g.icg / 2);
  p[WORD.ocb] = depthwise ? 0 : Math.ceil(g.ocg / 4);
  // depthwise 3x3: hp is the pair plane's row count (depthwise_3x3_kernels.c pair_rows)
  p[WORD.hp] = kernel === 'depthwise_3x3' ? (sh === 1 ? Math.floor((oh + 1) / 2) + 1 : oh + 1) : (oh - 1) * sh + (g.kh - 1) * dh + 1;
  p[WORD.e] = e;
  p[WORD.l] = e === 1 ? nv * 4 + (g.kw - 1) * dw : nv * 4;
  p[WORD.nv] = nv;
  p[WORD.mode] = mode;
  return p;
}

/** channelParamBlock per prepared-parameter array (frozen ones; impl/conv/channel_params.ts caches them per conv). */
const blockCache = new WeakMap<readonly unknown[], { readonly scheme: RequantScheme; readonly mode: WasmRequant; readonly block: Int32Array }>();

/** The kernel's channel_params words of every output channel (conv_kernels.h), built once per prepared-parameter array. */
function channelParamBlock(scheme: RequantScheme, mode: WasmRequant, params: readonly unknown[]): Int32Array {
  const cached = blockCache.get(params);
  if (cached !== undefined && cached.scheme === scheme && cached.mode === mode) return cached.block;
  const block = new Int32Array(params.length * CHANNEL_PARAM_WORDS);
  writeChannelParams(new Float32Array(block.buffer), block, 0, scheme, mode, params);
  if (Object.isFrozen(params)) blockCache.set(params, { scheme, mode, block });
  return block;
}

/**
 * Whether the float-scale epilogue's clamp may be left to the saturating narrows of one-byte outputs of `dtype`
 * (conv_kernels.h float_scale_unclamped, conv_params.narrow_clamps), for every channel of `block` (channelParamBlock:
 * scale, bias, clamp bounds lo and hi, zero point). Two conditions per channel: [lo, hi] holds the dtype's whole range
 * less the zero point (so the narrows' clamp to the dtype is the binding one), and |f| < 2^22, where the float-scale
 * rounding is exact, for every accumulator |acc| <= accBound: |f32(f32(acc + bias) * scale)| is at most
 * f32(f32(accBound + |bias|) * |scale|) (float32 rounding and the product with a fixed factor are monotone), and
 * accBound + |bias| < 2^31 keeps acc + bias from wrapping.
 */
function floatScaleNarrowsClamp(block: Int32Array, dtype: QuantDtype, accBound: number): boolean {
  const known = narrowsClampCache.get(block);
  if (known !== undefined && known.dtype === dtype && known.accBound === accBound) return known.holds;
  const holds = channelsNarrowClamp(block, dtype, accBound);
  narrowsClampCache.set(block, { dtype, accBound, holds });
  return holds;
}

/** floatScaleNarrowsClamp's last verdict per channel block (channelParamBlock caches blocks per prepared parameters). */
const narrowsClampCache = new WeakMap<Int32Array, { readonly dtype: QuantDtype; readonly accBound: number; readonly holds: boolean }>();

/** floatScaleNarrowsClamp's two conditions, channel by channel. */
function channelsNarrowClamp(block: Int32Array, dtype: QuantDtype, accBound: number): boolean {
  const f32 = new Float32Array(block.buffer, block.byteOffset, block.length);
  const { min, max } = DTYPE_RANGE[dtype];
  for (let o = 0; o < block.length; o += CHANNEL_PARAM_WORDS) {
    const [scale, bias, lo, hi, zp] = [f32[o + 4]!, block[o + 5]!, f32[o + 6]!, f32[o + 7]!, block[o + 8]!];
    const biased = accBound + Math.abs(bias);
    if (!(lo <= min - zp && hi >= max - zp && biased < 2 ** 31 && Math.fround(Math.fround(biased) * Math.abs(scale)) < FLOAT_SCALE_BOUND)) return false;
  }
  return true;
}

function writeChannelParams(f32: Float32Array, i32: Int32Array, at: number, scheme: RequantScheme, mode: WasmRequant, params: readonly unknown[]): void {
  for (let oc = 0; oc < params.length; oc++) {
    const o = at / 4 + oc * CHANNEL_PARAM_WORDS; // conv_kernels.c channel_params: m4[4], scale, bias, lo, hi, zp, out_min, out_max, left, right
    if (mode === WASM_REQUANT.floatScale && scheme === 'torch-qnnpack@1') {
      const p = params[oc] as QnnpackParamsF;
      const { lo, hi } = qnnpackFloatBounds(p);
      f32[o + 4] = p.multiplier;
      i32[o + 5] = p.biasQ;
      f32[o + 6] = lo;
      f32[o + 7] = hi;
      i32[o + 8] = p.zeroPoint;
    } else if (mode === WASM_REQUANT.floatScale) {
      const p = params[oc] as FloatScaleParamsF;
      f32[o + 4] = p.scale;
      i32[o + 5] = p.bias;
      f32[o + 6] = p.lo;
      f32[o + 7] = p.hi;
      i32[o + 8] = p.zeroPoint;
    } else if (mode === WASM_REQUANT.qnnpack) {
      const p = params[oc] as QnnpackParamsF;
      f32[o + 4] = p.multiplier;
      i32[o + 5] = p.biasQ;
      i32[o + 8] = p.zeroPoint;
      i32[o + 9] = p.outMin;
      i32[o + 10] = p.outMax;
    } else if (mode === WASM_REQUANT.tfliteDouble || mode === WASM_REQUANT.tfliteSingle) {
      const p = params[oc] as TfliteParamsF;
      i32.fill(p.m, o, o + 4);
      i32[o + 5] = p.bias;
      i32[o + 8] = p.c.yZeroPoint;
      i32[o + 9] = p.c.outMin - p.c.yZeroPoint;
      i32[o + 10] = p.c.outMax - p.c.yZeroPoint;
      i32[o + 11] = mode === WASM_REQUANT.tfliteDouble ? p.left : p.totalShift;
      i32[o + 12] = p.right;
    }
  }
}

/**
 * The kernels' requantization of `accs` (int32 accumulators) for one output channel with the scheme's prepared
 * parameters `p`, as a wrapping conv runs it (conv_kernels.c requant_values); null when the scheme's epilogue is not
 * in the kernel for this channel. For tests: the breakpoint proof against the reference (tests/impl/wasm_requant.test.ts).
 */
export function wasmRequantize(scheme: RequantScheme, p: unknown, accs: Int32Array): Int32Array | null {
  const mod = convKernelModule();
  const mode = wrappingRequantMode(scheme, [p]);
  if (mod === null || mode === WASM_REQUANT.none || accs.length === 0) return null;
  const cp = align16(mod.heapBase);
  const v = cp + CHANNEL_PARAM_WORDS * 4;
  const mem = mod.memoryOfAtLeast(v + accs.length * 4);
  mem.i32.set(channelParamBlock(scheme, mode, [p]), cp / 4);
  mem.i32.set(accs, v / 4);
  mod.requantValues(cp, mode, v, accs.length);
  return mem.i32.slice(v / 4, v / 4 + accs.length);
}

/** wasmConvAccumulators found a value of x or weight outside its dtype (checkConv2d(a) names the first broken rule). */
export const VALUE_OUT_OF_RANGE = 'value out of range';

/**
 * The accumulators ([N][OC][OH][OW] int32, or the requantized outputs when `mode` is not none) of the
 * `int32_wrap` / `exact` models, or null when the WebAssembly kernels cannot give them bit for bit.
 * `params` are the scheme's prepared per-channel parameters (impl/requant), used when `mode` is not none.
 * `g` may come from checkConv2d(a, { deferValues: true }): x's values are range-checked here, in WebAssembly,
 * the weight's while they are packed (a prepack-cache hit holds values that passed), and VALUE_OUT_OF_RANGE is
 * returned when one is outside its dtype. `out` ([N][OC][OH][OW], the caller's buffer) receives the results when
 * given (a fresh Int32Array otherwise); with VALUE_OUT_OF_RANGE its contents are unspecified. A one-byte `out`
 * takes requantized outputs only (`mode` is not none) and is the output dtype's byte array (conv_out.ts
 * dtypeByteArray). x may be stored in bytes too: the depthwise 3x3 kernel reads them as they are, the other kernels get
 * them widened to int32 on the way in. `counts`, when given, counts the kernel that ran.
 */
export function wasmConvAccumulators<D extends IntData>(a: Conv2dArgs, g: ConvGeometry, mode: WasmRequant, params: readonly unknown[], out?: D, counts?: WasmKernelCounts): D | Int32Array | null | typeof VALUE_OUT_OF_RANGE {
  if (a.accumulator !== 'int32_wrap' && a.accumulator !== 'exact' && a.accumulator !== 'sat16_pairs' && a.accumulator !== 'sat16_pairs_im2col') return null;
  // sat16_pairs_im2col pairs along K = (kh KW + kw) Cg + icg: channel pairs at one tap only when Cg is even
  if (a.accumulator === 'sat16_pairs_im2col' && g.icg % 2 !== 0) return null;
  const mod = convKernelModule();
  if (mod === null) return null;
  const kind: Kind = g.icg === 1 && a.stride[1] === 1 ? 'depthwise' : 'general';
  const weights = packedWeights(mod, a, g, kind);
  if (weights === null) return VALUE_OUT_OF_RANGE;
  const xMaxAbs = inputMaxAbs(a, g);
  if (xMaxAbs > 32767 || weights.maxAbs > 32767) return null;
  if (a.accumulator === 'exact' && !(xMaxAbs * weights.maxAbsSum < 2 ** 31)) return null;
  // sat16_pairs with one input channel per group: every "pair" is one product |x w| <= 255 * 128 < 2^15, never
  // saturated, so the model is int32_wrap's sum; otherwise the general kernel adds each pair's clamp correction
  const sat16 = (a.accumulator === 'sat16_pairs' && g.icg > 1) || a.accumulator === 'sat16_pairs_im2col';
  const rawWeights = sat16 ? packedWeights(mod, a, g, kind, true) : null;
  const kernel: WasmKernel = kind === 'general' ? (sat16 ? 'general_sat16' : 'general') : isDepthwise3x3(a, g) ? 'depthwise_3x3' : 'depthwise';
  const target = out ?? new Int32Array(g.n * g.oc * g.oh * g.ow);
  // internal_error, a caller's bug: a one-byte out takes requantized outputs only, in the output dtype's own byte array
  if (storageOf(target) !== STORAGE.i32 && (mode === WASM_REQUANT.none || !(target instanceof dtypeByteArray(g.dtype)))) throw new Error('wasmConvAccumulators: a one-byte out takes requantized outputs, in the output dtype\'s byte array');
  // float-scale outputs in bytes: the narrows clamp when every channel allows it (bound: max |x - z_x| * sum |w - z_w|)
  const narrowClamps = kernel === 'depthwise_3x3' && mode === WASM_REQUANT.floatScale && storageOf(target) !== STORAGE.i32 && floatScaleNarrowsClamp(channelParamBlock(a.scheme, mode, params), g.dtype, xMaxAbs * weights.maxAbsSum);
  const result = runKernel(mod, a, g, kernel, weights, rawWeights, mode, params, target, narrowClamps);
  if (counts !== undefined && result !== VALUE_OUT_OF_RANGE) {
    counts[kernel] = (counts[kernel] ?? 0) + 1;
    if (narrowClamps) counts.narrow_clamps = (counts.narrow_clamps ?? 0) + 1;
  }
  return result;
}

/**
 * The depthwise kernels' channel runs: a call takes a run of whole channels (groups) whose input, at the wider of the
 * input's and the outputs' element sizes, is about this many bytes (at least one channel), so that its input, outputs
 * and the caller's copies stay in the core's L2 cache instead of streaming the whole tensor through each step.
 */
const DEPTHWISE_CHUNK_BYTES = 1 << 17;

function runKernel<D extends IntData>(mod: ConvKernelModule, a: Conv2dArgs, g: ConvGeometry, kernel: WasmKernel, weights: PackedWeights, rawWeights: PackedWeights | null, mode: WasmRequant, params: readonly unknown[], out: D, narrowClamps: boolean): D | typeof VALUE_OUT_OF_RANGE {
  const p = kernelGeometry(a, g, kernel, mode);
  // one-byte input and outputs stay bytes in the depthwise 3x3 kernel (outputs when it requantizes); elsewhere words
  const xStorage = kernel === 'depthwise_3x3' ? storageOf(a.x.data) : STORAGE.i32;
  const outStorage = kernel === 'depthwise_3x3' && mode !== WASM_REQUANT.none ? storageOf(out) : STORAGE.i32;
  p[WORD.xstorage] = xStorage;
  p[WORD.ostorage] = outStorage;
  // one-byte input of its own dtype's array (a Uint8Array of quint8, an Int8Array of qint8) holds only valid values
  p[WORD.xcheck] = xStorage !== STORAGE.i32 && a.x.data instanceof dtypeByteArray(g.dtype) ? 0 : 1;
  const xWidth = storageBytes(xStorage);
  const outWidth = storageBytes(outStorage);
  const channelElems = g.h * g.w;
  const plane = g.oh * g.ow;
  const depthwise = kernel === 'depthwise' || kernel === 'depthwise_3x3';
  // groups per call: every group at once (general), or runs of whole channels (depthwise, one input channel per group)
  const chunk = depthwise ? Math.max(1, Math.min(g.groups, Math.floor(DEPTHWISE_CHUNK_BYTES / (channelElems * Math.max(xWidth, outWidth))))) : g.groups;
  const rows = (p[WORD.hp] as number) * (p[WORD.e] as number) * (p[WORD.l] as number);
  // depthwise: one channel's plane at a time (and no tap table)
  const packedBytes = depthwise ? rows * 4 : g.groups * (p[WORD.pairs] as number) * rows * 4;
  const tapBytes = depthwise ? 0 : (p[WORD.pairs] as number) * g.kh * g.kw * 4;
  let at = align16(mod.heapBase);
  const paramsAt = at;
  at = align16(at + PARAM_WORDS * 4);
  const x = at;
  at = align16(at + chunk * g.icg * channelElems * xWidth);
  p[WORD.x] = x;
  p[WORD.xp] = at;
  at = align16(at + packedBytes);
  p[WORD.taps] = at;
  at = align16(at + tapBytes);
  const wp = at;
  at = align16(at + weights.data.byteLength);
  const cp = at;
  at = align16(at + g.oc * CHANNEL_PARAM_WORDS * 4);
  const outAt = at;
  p[WORD.out] = outAt;
  at = align16(at + chunk * g.ocg * plane * outWidth + 16); // 16 bytes of slack: the depthwise kernel stores whole vectors (conv_kernels.c)
  if (rawWeights !== null) {
    // sat16_pairs: the raw packed input and weights, laid out as the centered ones
    p[WORD.sat16] = 1;
    p[WORD.xr] = at;
    at = align16(at + packedBytes);
    p[WORD.wr] = at;
    at = align16(at + rawWeights.data.byteLength);
  }
  // the raw packing subtracts -128 from a qint8 value: the u8 operand of vpmaddubsw (impl/conv/sat16_pairs.ts)
  const zr = g.dtype === 'qint8' ? -128 : 0;
  p[WORD.zr] = zr;
  // raw padding: sat16_pairs skips invalid taps (0); the im2col rows of sat16_pairs_im2col read z_x there
  p[WORD.rpad] = a.accumulator === 'sat16_pairs_im2col' ? a.xZeroPoint - zr : 0;
  const mem = mod.memoryOfAtLeast(at);
  const i32 = mem.i32;
  i32.set(weights.data, wp / 4);
  if (rawWeights !== null) i32.set(rawWeights.data, (p[WORD.wr] as number) / 4);
  i32.set(channelParamBlock(a.scheme, mode, params), cp / 4);
  p[WORD.narrow_clamps] = narrowClamps ? 1 : 0;
  const run = kernel === 'depthwise_3x3' ? mod.convDepthwise3x3 : kernel === 'depthwise' ? mod.convDepthwise : mod.convGeneral;

  const [lo, hi] = g.dtype === 'quint8' ? [0, 255] : [-128, 127];
  const p0 = paramsAt / 4;
  const xData = a.x.data;
  // the weights' and channel parameters' words per group (the kernel indexes them from the call's first group)
  const groupWeightBytes = weights.data.byteLength / g.groups;
  for (let n = 0; n < g.n; n++) {
    for (let g0 = 0; g0 < g.groups; g0 += chunk) {
      const groups = Math.min(chunk, g.groups - g0);
      const inFrom = (n * g.groups + g0) * g.icg * channelElems;
      const inTo = inFrom + groups * g.icg * channelElems;
      const xPart = inFrom === 0 && inTo === xData.length ? xData : xData.subarray(inFrom, inTo);
      // bytes copied as they are (same element type: a memcpy); words, or bytes widened to words by the set
      if (xStorage === STORAGE.u8) mem.u8.set(xPart, x);
      else if (xStorage === STORAGE.i8) mem.i8.set(xPart, x);
      else i32.set(xPart, x / 4);
      // the depthwise 3x3 kernel takes x's range while it packs; the others get it from input_range first (while x is in cache)
      if (kernel !== 'depthwise_3x3') {
        mod.inputRange(x, inTo - inFrom, paramsAt + XMIN_WORD * 4);
        if ((i32[p0 + XMIN_WORD] as number) < lo || (i32[p0 + XMIN_WORD + 1] as number) > hi) return VALUE_OUT_OF_RANGE;
      }
      p[WORD.groups] = groups;
      p[WORD.wp] = wp + g0 * groupWeightBytes;
      p[WORD.cp] = cp + g0 * g.ocg * CHANNEL_PARAM_WORDS * 4;
      i32.set(p.subarray(0, XMIN_WORD), p0);
      run(paramsAt);
      if ((i32[p0 + XMIN_WORD] as number) < lo || (i32[p0 + XMIN_WORD + 1] as number) > hi) return VALUE_OUT_OF_RANGE;
      const outElems = groups * g.ocg * plane;
      const outFrom = (n * g.groups + g0) * g.ocg * plane;
      // same element type: a memcpy; int32 outputs into a one-byte out: requantized, so within its range and exact
      if (outStorage === STORAGE.u8) out.set(mem.u8.subarray(outAt, outAt + outElems), outFrom);
      else if (outStorage === STORAGE.i8) out.set(mem.i8.subarray(outAt, outAt + outElems), outFrom);
      else out.set(i32.subarray(outAt / 4, outAt / 4 + outElems), outFrom);
    }
  }
  return out;
}
