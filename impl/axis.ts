/**
 * Row-major index arithmetic around a channel axis. Integer domain, no float arithmetic.
 */

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
 * buffer, the layout the per-channel observers reduce over (torch/ao/quantization/observer.py,
 * PerChannelMinMaxObserver._forward). Elements keep the order of the permuted view, which decides
 * which of two equal values a reduction meets first. Returns `data` itself when axis is 0.
 */
export function channelMajor(data: Float32Array, shape: readonly number[], axis: number): Float32Array {
  if (axis === 0) return data;
  const ndim = shape.length;
  const permutedShape = [...shape];
  const permutedStrides = rowMajorStrides(shape);
  swap(permutedShape, 0, axis);
  swap(permutedStrides, 0, axis);
  const out = new Float32Array(data.length);
  const index = new Int32Array(ndim);
  let src = 0;
  for (let dst = 0; dst < out.length; dst++) {
    out[dst] = data[src] as number;
    // odometer step over the permuted shape, innermost dimension first
    for (let d = ndim - 1; d >= 0; d--) {
      const size = permutedShape[d] as number;
      const stride = permutedStrides[d] as number;
      const next = (index[d] as number) + 1;
      src += stride;
      if (next < size) {
        index[d] = next;
        break;
      }
      index[d] = 0;
      src -= stride * size;
    }
  }
  return out;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d] as number;
  }
  return strides;
}

function swap(a: number[], i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}
