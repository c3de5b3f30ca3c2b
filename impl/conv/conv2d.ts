/**
 * quantized_conv2d@1, fast implementation: the contract check, a `prepare` per output channel (the
 * scheme's integer/float parameters, computed once), the accumulator model over the whole tensor, then
 * the scheme's requantization per output in order (n, oc, oh, ow), as the reference does.
 *
 * Two paths compute the same bits: WebAssembly SIMD128 (wasm_conv.ts; the default) and JavaScript (the
 * fallback, and the only path of sat16_pairs_f32_zp and of sat16_pairs_im2col with an odd Cg). QCONFORM_IMPL=js
 * selects JavaScript. Tensors stored in bytes (Uint8Array, Int8Array) are read as they are and give an output stored
 * in bytes (conv_out.ts); the values, and so the bits, are those of the same conv on Int32Array storage.
 */
import type { Accumulator, Conv2dArgs } from '../../contract/conv.js';
import { type ConvGeometry, checkConv2d } from '../../contract/conv_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { type ImplPath, selectedImplPath } from '../impl_path.js';
import { REQUANT_IMPL } from '../requant/index.js';
import { int32Add } from '../requant/int32_add.js';
import type { Int32Policy } from '../requant/types.js';
import { preparedChannelParams } from './channel_params.js';
import { type ConvCallOptions, convOutputBuffer } from './conv_out.js';
import { conv2d__direct } from './direct.js';
import { conv2d__sat16_pairs } from './sat16_pairs.js';
import { conv2d__sat16_pairs_im2col } from './sat16_pairs_im2col.js';
import { conv2d__sat16_pairs_f32_zp } from './sat16_pairs_f32_zp.js';
import { WASM_REQUANT, wasmRequantMode } from './wasm/requant_mode.js';
import { VALUE_OUT_OF_RANGE, type WasmKernelCounts, wasmConvAccumulators } from './wasm_conv.js';

/** Which path computes a conv: 'wasm' (WebAssembly where it covers the conv, else JavaScript) or 'js'. */
export type ConvPath = ImplPath;

/** The path selected by QCONFORM_IMPL (js or wasm; wasm when unset). */
export const selectedConvPath = selectedImplPath;

/** Each accumulator model of contract/conv.ts over the whole output, in order (n, oc, oh, ow). */
const ACCUMULATOR_MODELS: Readonly<Record<Accumulator, (a: Conv2dArgs, g: ConvGeometry) => Float64Array>> = {
  exact: conv2d__direct,
  int32_wrap: conv2d__direct,
  sat16_pairs: conv2d__sat16_pairs,
  sat16_pairs_im2col: conv2d__sat16_pairs_im2col,
  sat16_pairs_f32_zp: conv2d__sat16_pairs_f32_zp,
};

export type { ConvCallOptions } from './conv_out.js';

/** quantized_conv2d@1; `o.out`, when given, receives the outputs (conv_out.ts) and is the returned tensor's data. */
export function quantizedConv2d(a: Conv2dArgs, o: ConvCallOptions = {}): IntTensor {
  return quantizedConv2dOn(selectedConvPath(), a, undefined, o);
}

/** Counts of the convs WebAssembly computed: all of them (`wasm`) and, when `kernels` is given, per kernel. */
export interface WasmConvCounter {
  wasm: number;
  readonly kernels?: WasmKernelCounts;
}

/** quantized_conv2d@1 on one path; `counter`, when given, counts the convs WebAssembly actually computed. */
export function quantizedConv2dOn(path: ConvPath, a: Conv2dArgs, counter?: WasmConvCounter, o: ConvCallOptions = {}): IntTensor {
  if (path === 'wasm' && a.accumulator !== 'sat16_pairs_f32_zp') {
    const y = quantizedConv2dWasm(a, o, counter?.kernels);
    if (y !== null) {
      if (counter) counter.wasm++;
      return y;
    }
  }
  return quantizedConv2dJs(a, o);
}

/** The scheme's prepared parameters of every output channel (may throw the scheme's refusal; cached, channel_params.ts). */
const channelParams = preparedChannelParams;

/**
 * The WebAssembly path, or null where it does not cover the conv (then the JavaScript path runs). x's values
 * are range-checked in WebAssembly; any failure first reruns the whole check, so the error is the canonical one.
 */
function quantizedConv2dWasm(a: Conv2dArgs, o: ConvCallOptions, kernels: WasmKernelCounts | undefined): IntTensor | null {
  const canonical = <T>(step: () => T): T => {
    try {
      return step();
    } catch (e) {
      checkConv2d(a);
      throw e;
    }
  };
  const g = canonical(() => checkConv2d(a, { deferValues: true }));
  const params = canonical(() => channelParams(a, g));
  const policy: Int32Policy = a.accumulator === 'exact' ? 'check' : 'wrap';
  const mode = wasmRequantMode(a.scheme, policy === 'wrap', params);
  // the kernels write every output (or the array is dropped: null, VALUE_OUT_OF_RANGE), so a fresh one need not be zeroed
  const out = canonical(() => convOutputBuffer(a, g, o, true));
  // a one-byte out takes requantized outputs only: int32 accumulators that JavaScript requantizes go to a scratch array
  const accumulators = mode === WASM_REQUANT.none && !(out instanceof Int32Array) ? new Int32Array(out.length) : out;
  const fromWasm = wasmConvAccumulators(a, g, mode, params, accumulators, kernels);
  if (fromWasm === VALUE_OUT_OF_RANGE) {
    checkConv2d(a);
    throw new Error('quantized_conv2d: the WebAssembly path found a value of x or weight outside its dtype that checkConv2d accepts'); // internal_error: cannot happen
  }
  if (fromWasm === null) return null;
  const shape = [g.n, g.oc, g.oh, g.ow];
  if (mode === WASM_REQUANT.none) {
    // int32 accumulators (exact ones when policy is 'check': wasm_conv.ts proved they fit): the scheme requantizes
    // each into out (within the dtype's range, so exact in a one-byte out)
    const requantize = REQUANT_IMPL[a.scheme].requantize;
    const plane = g.oh * g.ow;
    for (let i = 0; i < fromWasm.length; i += plane) {
      const p = params[(i / plane) % g.oc];
      for (let j = i; j < i + plane; j++) out[j] = requantize(fromWasm[j] as number, p, policy);
    }
  }
  return { dtype: g.dtype, shape, data: out };
}

/** The JavaScript path: every accumulator model, then the scheme's requantization per output. */
function quantizedConv2dJs(a: Conv2dArgs, o: ConvCallOptions): IntTensor {
  const g = checkConv2d(a);
  const scheme = REQUANT_IMPL[a.scheme];
  const params = channelParams(a, g);
  const policy: Int32Policy = a.accumulator === 'exact' ? 'check' : 'wrap';
  const out = convOutputBuffer(a, g, o);
  const acc = ACCUMULATOR_MODELS[a.accumulator](a, g);
  const final = a.accumulator === 'sat16_pairs_f32_zp'; // already the float32 value the epilogue takes, not an int32
  const plane = g.oh * g.ow;
  const requantize = scheme.requantize;
  for (let i = 0; i < acc.length; i += plane) {
    const p = params[(i / plane) % g.oc];
    for (let j = i; j < i + plane; j++) {
      const v = acc[j] as number;
      out[j] = requantize(final ? v : policy === 'wrap' ? v | 0 : int32Add(v, 0, policy), p, policy);
    }
  }
  return { dtype: g.dtype, shape: [g.n, g.oc, g.oh, g.ow], data: out };
}
