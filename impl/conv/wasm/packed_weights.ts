/**
 * The weights centered per output channel and packed into int16 pairs for the kernels (XNNPACK-style prepack),
 * cached per weight tensor and revalidated on every hit (the caller may have written to the tensor since).
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';
import { DTYPE_RANGE } from '../../../contract/dtypes.js';
import { type IntData, copyOfIntData } from '../../../contract/tensor.js';
import { type ConvKernelModule, align16 } from './kernel_module.js';
import { STORAGE, storageOf } from './storage.js';

/** One packing of a weight tensor (one kind, centered or raw) and what a cache hit must find unchanged. */
export interface PackedWeights {
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

/** A weight packing: the depthwise kernels share one ([oc][ceil(kh / 2)][kw] vertical pairs). */
export type Kind = 'general' | 'depthwise';

/** A packing's identity besides the weight values and zero points: kind, raw or centered, the weight's shape, groups and per-channel. */
export interface WeightKey {
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
export function packedWeights(mod: ConvKernelModule, a: Conv2dArgs, g: ConvGeometry, kind: Kind, raw = false): PackedWeights | null {
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
