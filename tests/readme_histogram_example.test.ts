import { describe, expect, it } from 'vitest';
import { float32BitsOf } from '../contract/float_bits.js';
import type { HistogramObserverV1Attrs, QuantOps } from '../contract/ops.js';
import { f32Tensor } from '../contract/tensor.js';
import { nonLinearParamSearch } from '../impl/observers/histogram/param_search.js';
import { IMPLEMENTATIONS } from './support/implementations.js';

/**
 * The README's HistogramObserver example: 100,000 Laplace quantiles scaled to [-12, 12]. The expected bits are
 * what torch 1.13.1 returned for these inputs through conformance/backends/torch/python/qconform_torch.py (min_max_observer@1 and
 * histogram_observer@1 with default arguments).
 */
const N = 100_000;
const laplace = (k: number) => {
  const u = (k + 0.5) / N - 0.5;
  return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
};
const x = f32Tensor([N], Array.from({ length: N }, (_, k) => Math.fround((12 * laplace(k)) / laplace(N - 1))));
const CONFIG = { dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: false, quantMin: null, quantMax: null, eps: 2 ** -23 } as const;
const DEFAULTS: HistogramObserverV1Attrs = { ...CONFIG, bins: 2048, upsampleRate: 128, sumLaneWidth: 8 };

const qparams = (r: { scale: { data: Float32Array }; zeroPoint: { data: ArrayLike<number> } }) => ({ scale: float32BitsOf(r.scale.data[0]!), zeroPoint: r.zeroPoint.data[0] });

describe.each(IMPLEMENTATIONS)('README HistogramObserver example [%s]', (_name, ops: QuantOps) => {
  it('MinMaxObserver keeps [-12, 12]; HistogramObserver clips the upper tail, as torch 1.13 does', () => {
    expect(x.data[0]).toBe(-12);
    expect(x.data[N - 1]).toBe(12);
    expect(qparams(ops.minMaxObserver([x], CONFIG))).toEqual({ scale: 0x3dc0c0c1, zeroPoint: 128 });
    const h = ops.histogramObserver([x], DEFAULTS);
    expect(qparams(h)).toEqual({ scale: 0x3db33333, zeroPoint: 137 });
    const search = nonLinearParamSearch({ histogram: h.histogram.data, minVal: h.minVal.data[0]!, maxVal: h.maxVal.data[0]!, dstBins: 256, lanes: 8 });
    expect(search).toMatchObject({ newMin: -12, newMax: 10.3125, startBin: 0, endBin: 1903 });
    const [scale, zp] = [h.scale.data[0]!, h.zeroPoint.data[0]!];
    const saturated = Array.from(x.data).filter((v) => Math.round(v / scale) + zp > 255);
    expect(saturated.map((v) => v.toFixed(2))).toEqual(['10.85', '12.00']);
  });
});
