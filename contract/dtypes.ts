import { QconformError } from './errors.js';

/** Quantized dtypes of torch 1.13 that the observers and quantize ops accept. */
export const QUANT_DTYPES = ['quint8', 'qint8', 'qint32', 'quint4x2'] as const;
export type QuantDtype = (typeof QUANT_DTYPES)[number];

/** Storage range of each quantized dtype (c10 quint8/qint8/qint32/quint4x2 limits). */
export const DTYPE_RANGE: Readonly<Record<QuantDtype, { readonly min: number; readonly max: number }>> = {
  quint8: { min: 0, max: 255 },
  qint8: { min: -128, max: 127 },
  qint32: { min: -2147483648, max: 2147483647 },
  quint4x2: { min: 0, max: 15 },
};

export function assertQuantDtype(what: string, dtype: unknown): QuantDtype {
  if (typeof dtype === 'string' && (QUANT_DTYPES as readonly string[]).includes(dtype)) return dtype as QuantDtype;
  throw new QconformError('invalid_dtype', what, dtype);
}

/** Quantization schemes (torch.qscheme). */
export const QSCHEMES = [
  'per_tensor_affine',
  'per_tensor_symmetric',
  'per_channel_affine',
  'per_channel_symmetric',
  'per_channel_affine_float_qparams',
] as const;
export type QScheme = (typeof QSCHEMES)[number];

export function isSymmetric(q: QScheme): boolean {
  return q === 'per_tensor_symmetric' || q === 'per_channel_symmetric';
}

export function isPerChannel(q: QScheme): boolean {
  return q.startsWith('per_channel');
}

export function assertQScheme(what: string, q: unknown): QScheme {
  if (typeof q === 'string' && (QSCHEMES as readonly string[]).includes(q)) return q as QScheme;
  throw new QconformError('invalid_qscheme', what, q);
}
