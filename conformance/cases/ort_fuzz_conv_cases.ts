/**
 * What `--fuzz` draws for ONNX Runtime's QLinearConv beyond its committed vector sets: weight zero points that differ
 * per output channel. ORT 1.30's QLinearConv computes them, one per output channel (onnxruntime/core/providers/cpu/
 * quantization/qlinearconv.cc; measured through onnxruntime-node: tests/backends/ort_varying_weight_zero_points.test.ts),
 * and qconform takes them for onnxruntime@1 and qlinear_conv_nhwc@1; but ortConvCase and qlinearConvNhwcCase, the
 * generators of vectors/onnxruntime-1.30 and vectors/onnxruntime-1.30-ops, draw one zero point for every channel, and
 * must keep writing byte-identical sets. So the fuzz catalogues (fuzz_catalogs.ts) draw the vector generator's case,
 * then, for VARYING_WEIGHT_ZERO_POINTS_RATE of its per-channel cases with two output channels or more, draw the zero
 * points anew over the weight dtype's whole range, at least two of them different. The extra draws come after the
 * generator's, so its own draws are untouched.
 */
import { decodeTensor } from '../../contract/wire.js';
import { type CaseFactory, wireInt } from './builders.js';
import { ortEdgeConvCase } from './conv_cases.js';
import { qlinearConvNhwcCase } from './qlinear_conv_nhwc_cases.js';
import type { CaseRandom } from './random.js';

/** The share of per-channel cases (two output channels or more) whose weight zero points are drawn to differ. */
export const VARYING_WEIGHT_ZERO_POINTS_RATE = 0.5;

const WEIGHT_RANGE = { qint8: [-128, 127], quint8: [0, 255] } as const;

/** `k` weight zero points in the dtype's range, at least two of them different (the second moved off the first when all came out equal). */
export function differingZeroPoints(r: CaseRandom, k: number, dtype: 'qint8' | 'quint8'): number[] {
  const [lo, hi] = WEIGHT_RANGE[dtype];
  const zps = Array.from({ length: k }, () => r.int(lo, hi));
  if (zps.every((z) => z === zps[0])) zps[1] = zps[0] === hi ? lo : zps[0]! + 1;
  return zps;
}

/**
 * ortConvCase (scheme onnxruntime@1) now and then on an edge geometry (conv_cases.ts ortEdgeConvCase: a numerator in
 * (-stride, 0), an empty batch), its per-channel weight zero points differing per output channel at
 * VARYING_WEIGHT_ZERO_POINTS_RATE.
 */
export const ortFuzzConvCase: CaseFactory = (r, index) => {
  const c = ortEdgeConvCase(r, index);
  const inputs = c.inputs as Record<string, unknown>;
  const k = decodeTensor(inputs.weight_scales, 'weight_scales').data.length;
  if (c.attrs?.weight_quantization === 'per_channel' && k > 1 && r.bool(VARYING_WEIGHT_ZERO_POINTS_RATE)) {
    inputs.weight_zero_points = wireInt('int64', [k], differingZeroPoints(r, k, 'qint8'));
  }
  return c;
};

/** qlinearConvNhwcCase, its per-channel w_zero_point ([M], int8 or uint8 like w) differing per output channel at VARYING_WEIGHT_ZERO_POINTS_RATE. */
export const qlinearConvNhwcFuzzCase: CaseFactory = (r, index) => {
  const c = qlinearConvNhwcCase(r, index);
  const inputs = c.inputs as Record<string, unknown>;
  const scale = decodeTensor(inputs.w_scale, 'w_scale');
  const m = scale.shape.length === 1 ? scale.shape[0]! : 1;
  if (m > 1 && r.bool(VARYING_WEIGHT_ZERO_POINTS_RATE)) {
    const dtype = decodeTensor(inputs.w, 'w').dtype === 'quint8' ? 'quint8' : 'qint8';
    inputs.w_zero_point = wireInt(dtype, [m], differingZeroPoints(r, m, dtype));
  }
  return c;
};
