import { type QScheme, type QuantDtype, assertQScheme, assertQuantDtype, isPerChannel, isSymmetric } from '../spec/dtypes.js';
import { QconformError } from '../spec/errors.js';
import type { QparamsConfig } from '../spec/ops.js';
import { calculateQminQmax } from '../spec/qrange.js';

/** Which qschemes the caller accepts: per-tensor observers take per_tensor_*, per-channel observers per_channel_*. */
export type QschemeFamily = 'per_tensor' | 'per_channel' | 'any';

/** An observer configuration after construction-time validation, as the observer holds it. */
export interface ResolvedQparamsConfig {
  readonly dtype: QuantDtype;
  readonly qscheme: QScheme;
  readonly quantMin: number;
  readonly quantMax: number;
  readonly hasCustomizedQrange: boolean;
  /** The observer's eps buffer: torch.tensor([eps]) is float32, so fround(eps). */
  readonly epsF: number;
}

/**
 * The checks of an observer constructor, in torch's order: dtype and qscheme
 * (UniformQuantizationObserverBase.__init__), the qscheme family of the observer, the quant range
 * (_validate_qmin_qmax, calculate_qmin_qmax; exact integers, shared from spec/qrange.ts), then
 * the NotImplementedError of MinMaxObserver (per_tensor_symmetric) and PerChannelMinMaxObserver
 * (per_channel_symmetric) for symmetric + reduce_range + quint8 (torch/ao/quantization/observer.py).
 */
export function resolveQparamsConfig(what: string, a: QparamsConfig, family: QschemeFamily): ResolvedQparamsConfig {
  const dtype = assertQuantDtype(`${what}: dtype`, a.dtype);
  const qscheme = assertQScheme(`${what}: qscheme`, a.qscheme);
  if (family !== 'any' && isPerChannel(qscheme) !== (family === 'per_channel')) {
    throw new QconformError('invalid_qscheme', `${what}: qscheme`, qscheme, `this observer accepts ${family}_* qschemes only`);
  }
  const range = calculateQminQmax({ dtype, reduceRange: a.reduceRange, quantMin: a.quantMin, quantMax: a.quantMax });
  if (isSymmetric(qscheme) && a.reduceRange && dtype === 'quint8') {
    throw new QconformError('symmetric_reduce_range_quint8', `${what}: qscheme, reduce_range, dtype`, { qscheme, reduceRange: a.reduceRange, dtype });
  }
  return {
    dtype,
    qscheme,
    quantMin: range.quantMin,
    quantMax: range.quantMax,
    hasCustomizedQrange: range.hasCustomizedQrange,
    epsF: Math.fround(a.eps),
  };
}
