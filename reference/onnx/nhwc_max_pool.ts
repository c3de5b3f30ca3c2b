/**
 * nhwc_max_pool@1, exact reference: com.microsoft NhwcMaxPool as onnxruntime 1.30 computes it
 * (onnxruntime/contrib_ops/cpu/quantization/nhwc_max_pool.cc): math::Im2col<T, StorageOrder::NHWC> gathers, for each
 * output position, one pointer per kernel tap: the input pixel at o * stride - pad_head + tap * dilation along each
 * spatial dim, or a padding row filled with std::numeric_limits<T>::lowest() (0 for uint8, -128 for int8) where that
 * coordinate leaves the image; MlasMaximumPool then takes, per channel, the integer maximum over the taps. So a padded
 * tap never wins unless every tap is padding (then the lowest value). Integer domain throughout: comparisons only.
 * Written as the definition, tap by tap over coordinates (impl/onnx/nhwc_max_pool.ts walks offsets instead).
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import type { NhwcMaxPoolArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor, numel } from '../../contract/tensor.js';

/** The coordinates of flat index `i` in `dims` (row-major). */
function coordinates(i: number, dims: readonly number[]): number[] {
  const c = new Array<number>(dims.length);
  for (let d = dims.length - 1; d >= 0; d--) {
    c[d] = i % dims[d]!;
    i = Math.floor(i / dims[d]!);
  }
  return c;
}

/** NhwcMaxPool<T>::Compute (contrib_ops/cpu/quantization/nhwc_max_pool.cc): per output and channel, the integer maximum over the taps (padding: the dtype's lowest). Integer domain, comparisons only. */
export function nhwcMaxPool(a: NhwcMaxPoolArgs): IntTensor {
  const g = checkNhwcMaxPool('nhwc_max_pool', a);
  const lowest = DTYPE_RANGE[g.dtype].min;
  const image = numel(g.inDims);
  const outImage = numel(g.outDims);
  const taps = numel(g.kernel);
  const out: number[] = [];
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < outImage; o++) {
      const oc = coordinates(o, g.outDims);
      for (let c = 0; c < g.channels; c++) {
        let best = lowest; // the padding row's value; every real tap is >= it
        for (let t = 0; t < taps; t++) {
          const tc = coordinates(t, g.kernel);
          const ic = oc.map((p, d) => p * g.strides[d]! - g.padHeads[d]! + tc[d]! * g.dilations[d]!);
          if (ic.some((v, d) => v < 0 || v >= g.inDims[d]!)) continue; // a padding tap: lowest()
          let flat = 0;
          for (let d = 0; d < ic.length; d++) flat = flat * g.inDims[d]! + ic[d]!;
          best = Math.max(best, a.x.data[(n * image + flat) * g.channels + c]!);
        }
        out.push(best);
      }
    }
  }
  return intTensor(g.dtype, g.outShape, out);
}
