import fc from 'fast-check';
import type { QuantDtype } from '../../contract/dtypes.js';

/** The eager-mode dtypes of every quantize op. */
export const eagerQuantDtype = fc.constantFrom<QuantDtype>('quint8', 'qint8', 'qint32');

/** Mostly the eager dtypes, sometimes quint4x2 (per-tensor only in torch 1.13; the per-channel ops reject it). */
export const anyQuantDtype: fc.Arbitrary<QuantDtype> = fc.oneof(
  { weight: 9, arbitrary: eagerQuantDtype },
  { weight: 1, arbitrary: fc.constant<QuantDtype>('quint4x2') },
);

/**
 * The dtypes of quantize_per_channel_float_qparams: mostly quint8 and qint8, sometimes quint4x2, and now and then
 * qint32, which the op refuses (torch 1.13 dies of SIGILL there: contract/op_checks.ts rejectQint32FloatQparams).
 */
export const floatQparamsQuantDtype: fc.Arbitrary<QuantDtype> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<QuantDtype>('quint8', 'qint8') },
  { weight: 1, arbitrary: fc.constant<QuantDtype>('quint4x2') },
  { weight: 1, arbitrary: fc.constant<QuantDtype>('qint32') },
);
