/**
 * Seeded conv draws for the impl conv tests (tests/impl/wasm_conv.test.ts, conv_byte_storage.test.ts): geometries of
 * each kernel's kind (dense, depthwise and the depthwise 3x3 fast path, pointwise, grouped) with remainders, and a
 * conv of a scheme and accumulator over one, with the scheme's dtypes, zero points and bias; `outcome` makes a run
 * comparable text (the outputs, or the typed error's code); `convInBytes` stores a conv's tensors in bytes.
 */
import type { Accumulator, Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { byteTensor, f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { dtypeByteArray } from '../../impl/conv/conv_out.js';

export interface Geometry {
  n: number; c: number; h: number; w: number; oc: number; groups: number; kh: number; kw: number;
  stride: [number, number]; padding: [number, number]; dilation: [number, number];
}

export type Kind = 'dense' | 'depthwise' | 'depthwise 3x3' | 'depthwise 3x3 fast' | 'pointwise' | 'grouped';
export const KINDS: readonly Kind[] = ['dense', 'depthwise', 'depthwise 3x3', 'depthwise 3x3 fast', 'pointwise', 'grouped'];

export function drawGeometry(r: CaseRandom, kind: Kind): Geometry {
  if (kind === 'depthwise 3x3') return { ...drawGeometry(r, 'depthwise'), kh: 3, kw: 3, stride: [r.int(1, 2), 1], h: r.int(3, 19), w: r.int(3, 61) };
  // the depthwise 3x3 kernel's geometry (impl/conv/wasm/depthwise_3x3_kernels.c): stride (1 or 2, 1), no dilation, padding 0..2
  // (2: whole pair rows of padding), heights with an odd and even number of output rows, widths with every ow % 4
  if (kind === 'depthwise 3x3 fast') return { ...drawGeometry(r, 'depthwise'), kh: 3, kw: 3, stride: [r.int(1, 2), 1], dilation: [1, 1], padding: [r.int(0, 2), r.int(0, 2)], h: r.int(3, 19), w: r.int(3, 61) };
  const h = r.int(1, 19);
  const w = r.int(1, 61);
  const k = kind === 'pointwise' ? 1 : r.int(1, 4);
  const kw = kind === 'pointwise' ? 1 : r.int(1, 4);
  const dilation: [number, number] = kind === 'pointwise' ? [1, 1] : [r.int(1, 2), r.int(1, 2)];
  const padding: [number, number] = kind === 'pointwise' ? [0, 0] : [r.int(0, 2), r.int(0, 2)];
  const stride: [number, number] = kind === 'pointwise' ? [1, 1] : [r.int(1, 3), r.int(1, 3)];
  const groups = kind === 'depthwise' ? r.int(1, 24) : kind === 'grouped' ? r.int(2, 4) : 1;
  const icg = kind === 'depthwise' ? 1 : r.int(1, 21);
  const ocg = kind === 'depthwise' ? r.int(1, 3) : r.int(1, 19);
  const geo = { n: r.int(1, 2), c: groups * icg, h, w, oc: groups * ocg, groups, kh: k, kw, stride, padding, dilation };
  // keep the output non-empty
  const oh = Math.floor((h + 2 * padding[0] - dilation[0] * (k - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  return oh >= 1 && ow >= 1 ? geo : drawGeometry(r, kind);
}

export function convFor(r: CaseRandom, g: Geometry, scheme: RequantScheme, accumulator: Accumulator): Conv2dArgs {
  const rules = SCHEME_RULES[scheme];
  const dtype = rules.activations[r.int(0, rules.activations.length - 1)]!;
  const [lo, hi] = dtype === 'quint8' ? [0, 255] : [-128, 127];
  const perChannel = r.int(0, 1) === 1;
  const zps = rules.weightZeroPoints === 'zero' ? 0 : r.int(-20, 20);
  const zpCount = perChannel ? g.oc : 1;
  const weightZeroPoints = Array.from({ length: zpCount }, () => (rules.weightZeroPoints === 'any' ? r.int(-128, 127) : zps));
  const bias = rules.bias.includes('int32') ? intTensor('int32', [g.oc], Array.from({ length: g.oc }, () => r.int(-30000, 30000))) : f32Tensor([g.oc], Array.from({ length: g.oc }, () => Math.fround(r.normal() * 3)));
  return {
    x: intTensor(dtype, [g.n, g.c, g.h, g.w], Array.from({ length: g.n * g.c * g.h * g.w }, () => r.int(lo, hi))),
    xScale: Math.fround(0.01 + r.next() * 0.05),
    xZeroPoint: r.int(lo, hi),
    weight: intTensor('qint8', [g.oc, g.c / g.groups, g.kh, g.kw], Array.from({ length: g.oc * (g.c / g.groups) * g.kh * g.kw }, () => r.int(-128, 127))),
    weightQuantization: perChannel ? 'per_channel' : 'per_tensor',
    weightScales: f64Tensor([zpCount], Array.from({ length: zpCount }, () => Math.fround(0.001 + r.next() * 0.01))),
    weightZeroPoints: intTensor('int64', [zpCount], weightZeroPoints),
    bias: r.int(0, 3) === 0 ? null : bias,
    stride: g.stride,
    padding: g.padding,
    dilation: g.dilation,
    groups: g.groups,
    relu: r.int(0, 3) === 0,
    yScale: 0.05 + r.next() * 2,
    yZeroPoint: r.int(lo, hi),
    scheme,
    accumulator,
  };
}

/** The conv's result as comparable text: the output bytes or the typed error's code. */
export function outcome(run: () => { data: ArrayLike<number> }): string {
  try {
    return Array.from(run().data).join(',');
  } catch (e) {
    return `error ${(e as { code?: string }).code ?? String(e)}`;
  }
}


/**
 * `a` with x (and, with `weight`, the weight) stored in bytes (contract/tensor.ts IntData), the same values: x in
 * its dtype's one-byte array, the weight in an Int8Array. A value a byte cannot hold (an invalid one) is kept in an
 * Int32Array, so that the conv still sees it.
 */
export function convInBytes(a: Conv2dArgs, parts: { x: boolean; weight: boolean } = { x: true, weight: true }): Conv2dArgs {
  const fits = (d: ArrayLike<number>, lo: number, hi: number) => Array.prototype.every.call(d, (v: number) => v >= lo && v <= hi);
  const [lo, hi] = a.x.dtype === 'quint8' ? [0, 255] : [-128, 127];
  return {
    ...a,
    x: parts.x && (a.x.dtype === 'quint8' || a.x.dtype === 'qint8') && fits(a.x.data, lo, hi) ? byteTensor(a.x.dtype, a.x.shape, dtypeByteArray(a.x.dtype).from(a.x.data)) : a.x,
    weight: parts.weight && fits(a.weight.data, -128, 127) ? byteTensor(a.weight.dtype, a.weight.shape, Int8Array.from(a.weight.data)) : a.weight,
  };
}
