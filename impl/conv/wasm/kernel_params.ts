/**
 * The kernels' parameter block (conv_kernels.h conv_params), word by word, and the geometry words of one conv
 * (kernelGeometry); impl/conv/wasm_conv.ts adds the addresses, the storages and the accumulator's words.
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';
import { type WasmKernel, isDepthwiseKernel } from './kernel_kind.js';
import type { WasmRequant } from './requant_mode.js';

/** conv_kernels.h conv_params, word by word. */
const PARAM_NAMES = ['c', 'h', 'w', 'groups', 'icg', 'ocg', 'kh', 'kw', 'sh', 'sw', 'dh', 'dw', 'ph', 'pw', 'oh', 'ow', 'zx', 'pairs', 'ocb', 'hp', 'e', 'l', 'nv', 'mode', 'x', 'xp', 'taps', 'wp', 'cp', 'out', 'sat16', 'xr', 'wr', 'zr', 'rpad', 'xstorage', 'ostorage', 'xcheck', 'narrow_clamps'] as const;
type ParamName = (typeof PARAM_NAMES)[number];
/** Each parameter's word in the block. */
export const WORD = Object.fromEntries(PARAM_NAMES.map((name, i) => [name, i])) as Record<ParamName, number>;
/** conv_params.xmin and xmax (words after PARAM_NAMES): the depthwise 3x3 kernel writes the raw input's range there (0 and 0 when conv_params.xcheck is 0). */
export const XMIN_WORD = PARAM_NAMES.length;
export const PARAM_WORDS = PARAM_NAMES.length + 2;

/** The kernel's geometry words of one batch element (the addresses and the accumulator's words are the caller's). */
export function kernelGeometry(a: Conv2dArgs, g: ConvGeometry, kernel: WasmKernel, mode: WasmRequant): Int32Array {
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const [ph, pw] = a.padding;
  // A 1x1 conv with stride 1 and no padding is one flat row: H x W inputs, OH x OW (= H x W) outputs.
  const flat = (kernel === 'general' || kernel === 'general_sat16') && g.kh === 1 && g.kw === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0;
  const oh = flat ? 1 : g.oh;
  const ow = flat ? g.oh * g.ow : g.ow;
  const nv = Math.ceil(ow / 4);
  const depthwise = isDepthwiseKernel(kernel);
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
