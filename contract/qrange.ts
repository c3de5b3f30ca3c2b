import { type QuantDtype, DTYPE_RANGE, assertQuantDtype } from './dtypes.js';
import { QconformError } from './errors.js';
import { validateBoolean, validateObject } from './validate.js';

export interface QuantRangeRequest {
  readonly dtype: QuantDtype;
  readonly reduceRange: boolean;
  /** Custom range; it counts only when both ends are given (torch has_customized_qrange). */
  readonly quantMin?: number | null;
  readonly quantMax?: number | null;
  /** The torch semantics version of the range check (default 1, torch 1.13); see QRANGE_SEMANTICS. */
  readonly semantics?: QrangeSemantics;
}

/**
 * 1: torch 1.13.1's utils.calculate_qmin_qmax, a custom qint32 range spans at most 2^31 values.
 * 2: torch 2.x's (2.6 torch/ao/quantization/utils.py calculate_qmin_qmax: initial range 0 .. 2^32 - 1, assert
 *    0 < qrange_len <= 2**32), so the full int32 range [-2^31, 2^31 - 1] is accepted. Nothing else changed.
 */
export type QrangeSemantics = 1 | 2;
const QINT32_MAX_RANGE_LENGTH: Readonly<Record<QrangeSemantics, number>> = { 1: 2 ** 31, 2: 2 ** 32 };

export interface QuantRange {
  readonly quantMin: number;
  readonly quantMax: number;
  readonly hasCustomizedQrange: boolean;
}

/**
 * The observer's [quant_min, quant_max], as torch 1.13 computes it at observer construction:
 * UniformQuantizationObserverBase._validate_qmin_qmax, then utils.calculate_qmin_qmax
 * (torch/ao/quantization/observer.py l.~250, utils.py l.305). Exact integer domain, shared by
 * reference/ and impl/ because it is part of the contract, not of the arithmetic under test.
 *
 * Quirks kept on purpose: a custom range is only length-checked for qint8 (<= 256) and qint32
 * (<= 2^31 in 1.13, <= 2^32 in 2.x: `semantics`), never for quint8; reduce_range halves a custom range with floor division (-7 // 2 = -4).
 */
export function calculateQminQmax(req: QuantRangeRequest): QuantRange {
  validateObject('calculate_qmin_qmax', req, 'an object { dtype, reduceRange, quantMin, quantMax, semantics }');
  const dtype = assertQuantDtype('calculate_qmin_qmax: dtype', req.dtype);
  const { reduceRange } = req;
  validateBoolean('calculate_qmin_qmax: reduce_range', reduceRange);
  if (req.semantics !== undefined && req.semantics !== 1 && req.semantics !== 2) throw new QconformError('malformed_request', 'calculate_qmin_qmax: semantics', req.semantics, '1 (torch 1.13) or 2 (torch 2.x), or absent');
  const custom = req.quantMin != null && req.quantMax != null;
  if (!custom) {
    const full = DTYPE_RANGE[dtype];
    if (dtype === 'qint8') return { quantMin: reduceRange ? -64 : -128, quantMax: reduceRange ? 63 : 127, hasCustomizedQrange: false };
    if (dtype === 'quint8') return { quantMin: 0, quantMax: reduceRange ? 127 : 255, hasCustomizedQrange: false };
    return { quantMin: full.min, quantMax: full.max, hasCustomizedQrange: false };
  }
  const qmin = req.quantMin as number;
  const qmax = req.quantMax as number;
  const what = `calculate_qmin_qmax(${dtype}, quant_min=${qmin}, quant_max=${qmax})`;
  validateQminQmax(what, qmin, qmax);
  const length = qmax - qmin + 1;
  if (dtype === 'qint8' && !(length > 0 && length <= 256)) throw new QconformError('quant_range_too_wide', what, length);
  if (dtype === 'qint32' && !(length > 0 && length <= QINT32_MAX_RANGE_LENGTH[req.semantics ?? 1])) throw new QconformError('quant_range_too_wide', what, length);
  if (!reduceRange) return { quantMin: qmin, quantMax: qmax, hasCustomizedQrange: true };
  return { quantMin: Math.floor(qmin / 2), quantMax: Math.floor(qmax / 2), hasCustomizedQrange: true };
}

/**
 * utils.validate_qmin_qmax (and the observers' _validate_qmin_qmax): integers, quant_min <= 0 <= quant_max, then
 * quant_min < quant_max (torch's two AssertionErrors, in its order).
 */
export function validateQminQmax(what: string, qmin: number, qmax: number): void {
  for (const v of [qmin, qmax]) {
    if (!Number.isSafeInteger(v)) throw new QconformError('invalid_integer', what, v, 'quant_min and quant_max are integers');
  }
  if (!(qmin <= 0 && 0 <= qmax)) throw new QconformError('quant_range_excludes_zero', what, [qmin, qmax]);
  if (!(qmin < qmax)) throw new QconformError('quant_range_not_increasing', what, [qmin, qmax]);
}
