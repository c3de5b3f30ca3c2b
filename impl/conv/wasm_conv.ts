/**
 * quantized_conv2d@1's accumulation (and, for onnxruntime@1, xnnpack-fp32@1, torch-qnnpack@1 and both tflite schemes,
 * its requantization) in WebAssembly SIMD128:
 * the JavaScript side of impl/conv/wasm/conv_kernels.c. It takes the weights prepacked once per weight tensor
 * (wasm/packed_weights.ts), lays out the module's memory, fills the kernel's parameter block (wasm/kernel_params.ts)
 * and the channels' requantization words (wasm/channel_block.ts, for the mode wasm/requant_mode.ts picks) and calls
 * one kernel per batch element and run of channels (WasmKernel): the depthwise 3x3 fast path (one input channel per
 * group, 3x3, horizontal stride 1, vertical stride 1 or 2, no dilation; depthwise_3x3_kernels.c), the depthwise kernel
 * (one input channel per group, horizontal stride 1, any other size) or the general one (channel-pair dot products; a
 * 1x1 conv with stride 1 and no padding runs as one flat row).
 *
 * Covered: the `int32_wrap` accumulator, `sat16_pairs` and `sat16_pairs_im2col` with an even number of input
 * channels per group (the clamp correction of each raw pair sum added to the centered sum, conv_kernels.c
 * conv_general_sat16), and `exact` whenever max|x - z_x| * sum|w - z_w| < 2^31 proves that int32 holds every
 * accumulator exactly. `wasmConvAccumulators` returns null otherwise (sat16_pairs_f32_zp, whose float32
 * compensation the scheme requantizes as a float; sat16_pairs_im2col with odd Cg, whose pairs straddle taps; a
 * bound that does not hold) and the caller runs the JavaScript path.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import type { IntData } from '../../contract/tensor.js';
import { CHANNEL_PARAM_WORDS, channelParamBlock, narrowsClamp } from './wasm/channel_block.js';
import { type ConvKernelModule, align16, convKernelModule } from './wasm/kernel_module.js';
import { type WasmKernel, isDepthwise3x3, isDepthwiseKernel } from './wasm/kernel_kind.js';
import { PARAM_WORDS, WORD, XMIN_WORD, kernelGeometry } from './wasm/kernel_params.js';
import { type Kind, type PackedWeights, packedWeights } from './wasm/packed_weights.js';
import { WASM_REQUANT, type WasmRequant, tfliteDoubleBoundedHolds } from './wasm/requant_mode.js';
import { STORAGE, storageBytes, storageOf } from './wasm/storage.js';
import { dtypeByteArray } from './conv_out.js';

/**
 * How many convs each kernel computed, `narrow_clamps`: those of the depthwise 3x3 kernel whose float-scale or bounded
 * tflite clamp the saturating narrows to byte outputs applied (narrowsClamp), and `tflite_double_bounded`: those whose
 * tflite-double-rounding@1 epilogue took its bounded form (tfliteDoubleBoundedHolds). For tests: which path ran.
 */
export type WasmKernelCounts = Partial<Record<WasmKernel | 'narrow_clamps' | 'tflite_double_bounded', number>>;

/** max |x - z_x| over the activation dtype's range. */
function inputMaxAbs(a: Conv2dArgs, g: ConvGeometry): number {
  const [lo, hi] = g.dtype === 'quint8' ? [0, 255] : [-128, 127];
  return Math.max(Math.abs(lo - a.xZeroPoint), Math.abs(hi - a.xZeroPoint));
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
  // before runKernel lays out the module's memory: a prepack-cache check uses that memory as scratch (packed_weights.ts sameWords)
  const weights = packedWeights(mod, a, g, kind);
  if (weights === null) return VALUE_OUT_OF_RANGE;
  const xMaxAbs = inputMaxAbs(a, g);
  if (xMaxAbs > 32767 || weights.maxAbs > 32767) return null;
  // every centered accumulator's bound (a sat16 pair clamp's sum is not bounded by it)
  const accBound = xMaxAbs * weights.maxAbsSum;
  if (a.accumulator === 'exact' && !(accBound < 2 ** 31)) return null;
  // sat16_pairs with one input channel per group: every "pair" is one product |x w| <= 255 * 128 < 2^15, never
  // saturated, so the model is int32_wrap's sum; otherwise the general kernel adds each pair's clamp correction
  const sat16 = (a.accumulator === 'sat16_pairs' && g.icg > 1) || a.accumulator === 'sat16_pairs_im2col';
  const rawWeights = sat16 ? packedWeights(mod, a, g, kind, true) : null;
  const kernel: WasmKernel = kind === 'general' ? (sat16 ? 'general_sat16' : 'general') : isDepthwise3x3(a, g) ? 'depthwise_3x3' : 'depthwise';
  const target = out ?? new Int32Array(g.n * g.oc * g.oh * g.ow);
  // internal_error, a caller's bug: a one-byte out takes requantized outputs only, in the output dtype's own byte array
  if (storageOf(target) !== STORAGE.i32 && (mode === WASM_REQUANT.none || !(target instanceof dtypeByteArray(g.dtype)))) throw new Error('wasmConvAccumulators: a one-byte out takes requantized outputs, in the output dtype\'s byte array');
  // tflite-double-rounding@1 in its bounded form where every biased accumulator allows it
  const kernelMode = mode === WASM_REQUANT.tfliteDouble && !sat16 && tfliteDoubleBoundedHolds(params, accBound) ? WASM_REQUANT.tfliteDoubleBounded : mode;
  // outputs in bytes: the narrows clamp when every channel allows it
  const narrowable = kernel === 'depthwise_3x3' && storageOf(target) !== STORAGE.i32 && (kernelMode === WASM_REQUANT.floatScale || kernelMode === WASM_REQUANT.tfliteDoubleBounded);
  const narrowClamps = narrowable && narrowsClamp(channelParamBlock(a.scheme, kernelMode, params), kernelMode, g.dtype, accBound);
  const result = runKernel(mod, a, g, kernel, weights, rawWeights, kernelMode, params, target, narrowClamps);
  if (counts !== undefined && result !== VALUE_OUT_OF_RANGE) {
    counts[kernel] = (counts[kernel] ?? 0) + 1;
    if (narrowClamps) counts.narrow_clamps = (counts.narrow_clamps ?? 0) + 1;
    if (kernelMode === WASM_REQUANT.tfliteDoubleBounded) counts.tflite_double_bounded = (counts.tflite_double_bounded ?? 0) + 1;
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
  const depthwise = isDepthwiseKernel(kernel);
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
        // input_range starts from its first value: with none (C = 0, H = 0 or W = 0) it would read the module's stale
        // memory there, so an empty x gets the dtype's own range (no value outside it)
        if (inTo === inFrom) i32.set([lo, hi], p0 + XMIN_WORD);
        else mod.inputRange(x, inTo - inFrom, paramsAt + XMIN_WORD * 4);
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
