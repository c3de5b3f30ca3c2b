/**
 * Row-major index arithmetic around a channel axis. Integer domain, no float arithmetic.
 */
import { channelMajorOrder } from '../contract/tensor.js';

/** A row-major shape seen as [outer, channels, inner] around `axis`. */
export interface AxisSplit {
  /** Product of the dimensions before `axis`. */
  readonly outer: number;
  /** The size of `axis`. */
  readonly channels: number;
  /** Product of the dimensions after `axis`: the length of each contiguous run of one channel. */
  readonly inner: number;
}

/** Split `shape` at a normalized axis (0 <= axis < shape.length), as size_to_dim_ / size_from_dim_ in torch's kernels. */
export function splitAtAxis(shape: readonly number[], axis: number): AxisSplit {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  return { outer, channels: shape[axis] as number, inner };
}

/**
 * Calls `body(start, end, channel)` for every contiguous run [start, end) of elements that share a
 * channel along `axis`, in row-major order: the loop nest (batches, channel, elements) of torch's
 * per-channel kernels. The per-element loop stays in the caller, free of calls.
 */
export function forEachChannelRun(shape: readonly number[], axis: number, body: (start: number, end: number, channel: number) => void): void {
  const { outer, channels, inner } = splitAtAxis(shape, axis);
  let start = 0;
  for (let b = 0; b < outer; b++) {
    for (let c = 0; c < channels; c++, start += inner) body(start, start + inner, c);
  }
}

/**
 * `x.permute(swap(0, axis)).flatten(start_dim=1)` as a fresh [channels, numel / channels] row-major
 * buffer, the layout the per-channel observers reduce over, gathered in contract/tensor.ts's
 * channelMajorOrder (the one statement of that order, shared with the reference). Returns `data`
 * itself when axis is 0.
 */
export function channelMajor(data: Float32Array, shape: readonly number[], axis: number): Float32Array {
  if (axis === 0) return data;
  const order = cachedOrder(shape, axis);
  const out = new Float32Array(order.length);
  for (let j = 0; j < order.length; j++) out[j] = data[order[j] as number] as number;
  return out;
}

/** The observers see batch after batch of one shape: the order of the last (shape, axis) is kept. */
let lastOrder: { key: string; order: Int32Array } | null = null;

function cachedOrder(shape: readonly number[], axis: number): Int32Array {
  const key = `${axis}:${shape.join(',')}`;
  if (lastOrder?.key !== key) lastOrder = { key, order: channelMajorOrder(shape, axis) };
  return lastOrder.order;
}
