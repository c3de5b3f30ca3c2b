/**
 * nhwc_max_pool@1, fast twin of reference/onnx/nhwc_max_pool.ts (ORT 1.30 NhwcMaxPool: NHWC im2col pointers, padded
 * taps reading the type's lowest value, MlasMaximumPool): per output position the in-image taps' pixel offsets are
 * listed once, then each channel's maximum starts from the lowest value (what a padded tap reads).
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { type NhwcMaxPoolGeometry, checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import type { NhwcMaxPoolArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor, numel } from '../../contract/tensor.js';

export function nhwcMaxPool(a: NhwcMaxPoolArgs): IntTensor {
  const g = checkNhwcMaxPool('nhwc_max_pool', a);
  return intTensor(g.dtype, g.outShape, maxPoolWindows(g, a.x.data, DTYPE_RANGE[g.dtype].min, new Int32Array(numel(g.outShape))));
}

/**
 * The window maxima of the NHWC values `x` over the checked geometry `g`, into `y` (g.outShape's size): each
 * starts from `lowest`, what a window with no in-image tap gives (ORT: the type's lowest value). Also run by
 * `qconform explain` on its float chain (conformance/explain/max_pool.ts).
 */
export function maxPoolWindows<T extends Int32Array | Float32Array>(g: NhwcMaxPoolGeometry, x: ArrayLike<number>, lowest: number, y: T): T {
  const rank = g.inDims.length;
  const C = g.channels;
  const image = g.inDims.reduce((p, d) => p * d, 1);
  const outImage = g.outDims.reduce((p, d) => p * d, 1);
  const taps = g.kernel.reduce((p, d) => p * d, 1);
  if (y.length === 0) return y; // N = 0 or a pooled size of 0: an empty y (outImage may be large)
  const oc = new Array<number>(rank).fill(0);
  const offsets = new Int32Array(taps);
  for (let o = 0; o < outImage; o++) {
    // the in-image taps of this output position, as pixel offsets within one image
    let count = 0;
    for (let t = 0; t < taps; t++) {
      let rest = t;
      let flat = 0;
      let stride = 1;
      let inside = true;
      for (let d = rank - 1; d >= 0; d--) {
        const tap = rest % g.kernel[d]!;
        rest = (rest - tap) / g.kernel[d]!;
        const v = oc[d]! * g.strides[d]! - g.padHeads[d]! + tap * g.dilations[d]!;
        if (v < 0 || v >= g.inDims[d]!) {
          inside = false;
          break;
        }
        flat += v * stride;
        stride *= g.inDims[d]!;
      }
      if (inside) offsets[count++] = flat;
    }
    for (let n = 0; n < g.batch; n++) {
      const base = n * image;
      const yBase = (n * outImage + o) * C;
      for (let c = 0; c < C; c++) {
        let best = lowest;
        for (let j = 0; j < count; j++) {
          const v = x[(base + offsets[j]!) * C + c]!;
          if (v > best) best = v;
        }
        y[yBase + c] = best;
      }
    }
    // next output coordinate (row-major)
    for (let d = rank - 1; d >= 0; d--) {
      if (++oc[d]! < g.outDims[d]!) break;
      oc[d] = 0;
    }
  }
  return y;
}
