/**
 * quantized_conv2d@1 split over output channels, for impl's worker_threads parallelism (conv_pool.ts): each part is
 * the conv of a contiguous run of output channels, itself a quantized_conv2d@1 call, and the parts' outputs placed side
 * by side are the whole conv's, bit for bit. That holds because every accumulator model and every scheme's
 * requantization (contract/conv.ts) computes each output from its own output channel's weights, bias and weight
 * qparams and the input channels of its group only; nothing couples two output channels.
 * A part takes whole output channels when groups is 1 (x whole, the weight, bias and per-channel qparams sliced) and
 * whole groups otherwise (x's channels of those groups too, so each part is a grouped conv of its own).
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';
import type { IntData, IntTensor } from '../../../contract/tensor.js';
import type { PartTensor } from './worker_messages.js';

/** One part: the conv of output channels [ocFrom, ocTo), whose outputs are [N][ocTo - ocFrom][OH][OW]. */
export interface ConvPart {
  readonly args: Conv2dArgs;
  readonly ocFrom: number;
  readonly ocTo: number;
}

/** Elements [from, to) of typed data, a view. */
function range<T extends PartTensor['data']>(d: T, from: number, to: number): T {
  return d.subarray(from, to) as T;
}

/** An empty array of d's element kind (Int32Array, Uint8Array or Int8Array; a Node Buffer gives a Uint8Array). */
function emptyLike(d: IntData, length: number): IntData {
  return d instanceof Int32Array ? new Int32Array(length) : d instanceof Int8Array ? new Int8Array(length) : new Uint8Array(length);
}

/** Channels [from, to) of every batch element of an [N][C][...] tensor's data with `inner` elements per channel. */
function channelRange(d: IntData, n: number, channels: number, inner: number, from: number, to: number): IntData {
  if (n === 1) return range(d, from * inner, to * inner);
  const part = emptyLike(d, n * (to - from) * inner);
  for (let b = 0; b < n; b++) part.set(d.subarray((b * channels + from) * inner, (b * channels + to) * inner), b * (to - from) * inner);
  return part;
}

/** A part's tensor and what it was made from (the source's dtype and shape). */
interface MadeFrom {
  readonly dtype: string;
  readonly shape: string;
  readonly made: PartTensor;
}

/**
 * A part's tensors per source data array and key: the same object for the same part of the same data (whatever tensor
 * object wraps it), so impl's per-tensor caches hit.
 */
const partTensors = new WeakMap<object, Map<string, MadeFrom>>();

/** The memoized tensor of `t` under `key`, made by `make` (again when t's dtype or shape is not the one it was made from). */
function memoized<T extends PartTensor>(t: T, key: string, make: () => T): T {
  let byKey = partTensors.get(t.data);
  if (byKey === undefined) partTensors.set(t.data, (byKey = new Map()));
  const held = byKey.get(key);
  const shape = t.shape.join('x');
  if (held !== undefined && held.dtype === t.dtype && held.shape === shape) return held.made as T;
  const made = make();
  byKey.set(key, { dtype: t.dtype, shape, made });
  return made;
}

/** A tensor of `t`'s dtype with this shape and data (only the tensor's own fields: a message to a worker clones every property). */
function tensorOf<T extends PartTensor>(t: T, shape: readonly number[], data: PartTensor['data']): T {
  return { dtype: t.dtype, shape: [...shape], data } as unknown as T;
}

/** `t` itself as a new object of its own fields only (dtype, shape, data). */
function fieldsOf<T extends PartTensor>(t: T): T {
  return tensorOf(t, t.shape, t.data);
}

/**
 * Elements [from, to) along dimension 0 of a tensor ([OC] or [OC, ...]), the same kind of tensor viewing its data;
 * one object per source data array and range (the caches check their contents: a write to the source shows in the view).
 */
function rows<T extends PartTensor>(t: T, from: number, to: number): T {
  return memoized(t, `rows ${from}:${to}`, () => {
    const inner = t.shape.slice(1).reduce((x, y) => x * y, 1);
    return tensorOf(t, [to - from, ...t.shape.slice(1)], range(t.data as IntData, from * inner, to * inner));
  });
}

/**
 * The conv split into at most `count` parts of whole output channels (groups 1) or whole groups, as even as they
 * divide, in channel order; their arrays are views of the caller's where they can be (x's channels of a grouped conv
 * with N > 1 are gathered into an array of their own).
 */
export function convParts(a: Conv2dArgs, g: ConvGeometry, count: number): ConvPart[] {
  const grouped = g.groups > 1;
  const units = grouped ? g.groups : g.oc;
  const ocPerUnit = grouped ? g.ocg : 1;
  const parts = Math.max(1, Math.min(count, units));
  const perChannel = a.weightQuantization === 'per_channel';
  const out: ConvPart[] = [];
  for (let p = 0; p < parts; p++) {
    const u0 = Math.floor((p * units) / parts);
    const u1 = Math.floor(((p + 1) * units) / parts);
    const ocFrom = u0 * ocPerUnit;
    const ocTo = u1 * ocPerUnit;
    const x: IntTensor = grouped
      ? tensorOf(a.x, [g.n, (u1 - u0) * g.icg, g.h, g.w], channelRange(a.x.data, g.n, g.groups * g.icg, g.h * g.w, u0 * g.icg, u1 * g.icg))
      : fieldsOf(a.x);
    // Conv2dArgs' own fields only (a message to a worker clones every property the caller's object has)
    const args: Conv2dArgs = {
      x,
      xScale: a.xScale,
      xZeroPoint: a.xZeroPoint,
      weightQuantization: a.weightQuantization,
      stride: a.stride,
      padding: a.padding,
      dilation: a.dilation,
      relu: a.relu,
      yScale: a.yScale,
      yZeroPoint: a.yZeroPoint,
      scheme: a.scheme,
      accumulator: a.accumulator,
      weight: rows(a.weight, ocFrom, ocTo),
      // per-tensor qparams: every part's (impl's caches key on the part's own weight view: impl/conv/channel_params.ts)
      weightScales: perChannel ? rows(a.weightScales, ocFrom, ocTo) : fieldsOf(a.weightScales),
      weightZeroPoints: perChannel ? rows(a.weightZeroPoints, ocFrom, ocTo) : fieldsOf(a.weightZeroPoints),
      bias: a.bias === null ? null : rows(a.bias, ocFrom, ocTo),
      groups: grouped ? u1 - u0 : 1,
    };
    out.push({ args, ocFrom, ocTo });
  }
  return out;
}

/** Copies a part's outputs ([N][ocTo - ocFrom][OH][OW]) into the whole conv's (`out`, [N][OC][OH][OW]). */
export function placePart(out: IntData, part: ConvPart, partData: IntData, g: ConvGeometry): void {
  const plane = g.oh * g.ow;
  const width = (part.ocTo - part.ocFrom) * plane;
  for (let b = 0; b < g.n; b++) out.set(partData.subarray(b * width, (b + 1) * width), (b * g.oc + part.ocFrom) * plane);
}
