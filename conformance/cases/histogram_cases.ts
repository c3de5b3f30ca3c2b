import type { QScheme } from '../../contract/dtypes.js';
import type { CaseRandom } from './random.js';
import { type CaseFactory, PER_TENSOR_QSCHEMES, drawConfig, wireF32 } from './builders.js';

/**
 * histogram_observer@1 cases: 1-4 batches of 1-D to 3-D float32 data (mostly up to a few hundred
 * elements, a few up to 2,000), drawn from one data scenario per case, with small bin counts (so the
 * exact reference stays fast; 15, 31, 47, 63 exercise 1.13's vectorized linspace edge) and several
 * upsample rates; 2% use torch's defaults (bins 2048, upsample_rate 128) on batches of 100-1,200 elements. About 7% of the cases are inputs torch 1.13 refuses (NaN, inf, ranges beyond int64,
 * merges needing terabytes, a constant batch beyond 2^54, a subnormal range).
 */
type Scenario = 'normal' | 'uniform' | 'skewed' | 'relu' | 'tied' | 'outliers' | 'drift' | 'constant_first' | 'small' | 'offset' | 'negative' | 'zeros' | 'refused';

const SCENARIOS: readonly Scenario[] = [
  'normal', 'normal', 'normal', 'uniform', 'uniform', 'skewed', 'skewed', 'relu', 'relu', 'tied', 'tied', 'outliers', 'outliers',
  'drift', 'drift', 'constant_first', 'small', 'offset', 'offset', 'negative', 'zeros', 'refused', 'refused',
];

const BINS = [8, 8, 8, 16, 16, 16, 32, 32, 64, 64, 15, 31, 47, 63, 100, 128, 256, 1, 2, 3, 5, 24];
const UPSAMPLE_RATES = [128, 128, 128, 2, 4, 8, 16, 32, 1, 3];

/** A batch shape: rank 1-3, numel mostly 1-64 or 65-128, sometimes up to 2,000; rarely empty. */
function drawShape(r: CaseRandom): number[] {
  if (r.bool(0.03)) return [0];
  const size = r.next();
  const numel = size < 0.5 ? r.int(1, 64) : size < 0.985 ? r.int(65, 128) : r.int(129, 2000);
  const rank = r.pick([1, 1, 2, 3]);
  if (rank === 1 || numel < 4) return [numel];
  const lead = r.pick([2, 3, 4]);
  const rest = Math.max(1, Math.floor(numel / lead));
  if (rank === 2) return [lead, rest];
  const mid = r.pick([1, 2, 5]);
  return [lead, mid, Math.max(1, Math.floor(rest / mid))];
}

interface Draw {
  /** one element of batch `b` */
  (b: number): number;
}

function scenarioDraw(r: CaseRandom, scenario: Scenario): Draw {
  const scale = Math.exp(r.normal() * 1.2);
  const offset = r.bool(0.3) ? r.normal() * scale * 2 : 0;
  const batchScale = Array.from({ length: 4 }, () => scale * Math.exp(r.normal() * (scenario === 'drift' ? 1.5 : 0.25)));
  const batchShift = Array.from({ length: 4 }, () => (scenario === 'drift' ? r.normal() * scale * 3 : 0));
  const step = scale * r.pick([0.25, 0.5, 1, 1 / 3, 0.1]);
  const constant = r.pick([0, 1, -2.5, 3, 0.7, scale]);
  const trunc = r.pick([0.3, 1.5, 2.2, -1.7, 4.6, 0.9]);
  return (b) => {
    const s = batchScale[b]!;
    switch (scenario) {
      case 'normal':
      case 'drift':
        return r.normal() * s + offset + batchShift[b]!;
      case 'uniform':
        return (r.next() * 2 - 1) * s + offset;
      case 'skewed':
        return Math.exp(r.normal() * 1.5) * s;
      case 'relu':
        return Math.max(0, r.normal() * s + offset * 0.3);
      case 'tied':
        return r.int(-4, 4) * step;
      case 'outliers':
        return r.bool(0.02) ? r.normal() * s * r.pick([30, 100, 1000]) : r.normal() * s;
      case 'constant_first':
        return b === 0 ? constant : r.normal() * s + constant;
      case 'small':
        return r.normal() * 0.3 * Math.min(1, s);
      case 'offset':
        return trunc + r.next() * Math.min(3, s * 2);
      case 'negative':
        return -Math.abs(r.normal() * s) - (offset > 0 ? offset : 0);
      case 'zeros':
        return r.bool(0.5) ? r.pick([0, -0]) : r.int(0, 3) * step;
      case 'refused':
        return r.normal() * s;
    }
  };
}

/**
 * A refused input, torch 1.13's failure in brackets: a NaN (ValueError), an inf (OverflowError), a value
 * beyond 2^63 (Overflow when unpacking long), a constant batch beyond 2^54 (histc: max must be larger than
 * min), a tiny first range then a wide one (a merge of terabytes, or a downsample rate beyond int64), a
 * subnormal first range (its bin width underflows: int(inf)).
 */
function refusedBatches(r: CaseRandom): number[][] {
  switch (r.int(0, 6)) {
    case 0:
      return [[1, 2, NaN, 3]].concat(r.bool(0.5) ? [] : [[r.normal()]]);
    case 1:
      return [[r.normal(), 0.5], [r.normal(), NaN, 2]];
    case 2:
      return r.bool(0.5) ? [[r.normal(), r.pick([Infinity, -Infinity])]] : [[r.normal(), 1], [3, r.pick([Infinity, -Infinity])]];
    case 3:
      return r.bool(0.5) ? [[1, r.pick([1e19, -1e19, 3e30])]] : [[0.5, 1.5], [r.pick([1e19, -2e19])]];
    case 4:
      return [new Array<number>(r.int(1, 5)).fill(r.pick([2 ** 54, -(2 ** 55), 1e17]))];
    case 5:
      return [[0, r.pick([1e-3, 1e-6, 1e-20])], [r.pick([1e6, 1e10, 1e15])]];
    default:
      return [[0, r.pick([1e-45, 1e-43])], [0.5]];
  }
}

export const histogramObserverCase: CaseFactory = (r) => {
  const qscheme: QScheme = r.pick(PER_TENSOR_QSCHEMES);
  const config = drawConfig(r, qscheme, false);
  if (qscheme === 'per_tensor_symmetric' && config.dtype === 'quint8' && r.bool(0.15)) config.reduce_range = true; // HistogramObserver accepts it
  const scenario = r.pick(SCENARIOS);
  // torch's defaults (bins 2048, upsample_rate 128, by leaving the attributes out) in 2% of the cases
  const defaults = scenario !== 'refused' && r.bool(0.02);
  const attrs: Record<string, unknown> = defaults ? { qscheme, ...config } : { qscheme, ...config, bins: r.pick(BINS), upsample_rate: r.pick(UPSAMPLE_RATES) };
  if (r.bool(0.5)) attrs.sum_lane_width = 8;
  if (scenario === 'refused') return { op: 'histogram_observer@1', attrs, inputs: { batches: refusedBatches(r).map((b) => wireF32([b.length], b)) } };
  const draw = scenarioDraw(r, scenario);
  const batchCount = r.pick([1, 2, 2, 2, 3, 3, 4, 4]);
  const batches = Array.from({ length: batchCount }, (_, b) => {
    const shape = defaults ? [r.int(100, 1200)] : drawShape(r);
    const n = shape.reduce((a, d) => a * d, 1);
    return wireF32(shape, Array.from({ length: n }, () => Math.fround(draw(b))));
  });
  return { op: 'histogram_observer@1', attrs, inputs: { batches } };
};

/**
 * histogram_observer@2 (torch 2.x) cases: histogramObserverCase's draws, without the upsample rate torch 2.x
 * no longer takes (fixed at 16). The refused inputs stay: 2.x refuses some and accepts others (inf is dropped).
 */
export const histogramObserverV2Case: CaseFactory = (r, i) => {
  const c = histogramObserverCase(r, i);
  const { upsample_rate: _dropped, ...attrs } = c.attrs ?? {};
  return { ...c, op: 'histogram_observer@2', attrs };
};
