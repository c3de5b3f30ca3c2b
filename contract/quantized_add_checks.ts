/**
 * The contract check of quantized_add@1 (contract/quantized_add.ts), run once by reference/ and impl/: dtypes,
 * shapes, values, scales and zero points, the capability, memory format and thread count; returns the dtype and
 * which elements take the vector form.
 */
import { checkAtenElementwise } from './aten_vectorized_loop.js';
import { QconformError } from './errors.js';
import type { BinaryQparams, QuantizedAddAttrs } from './quantized_add.js';
import type { IntTensor } from './tensor.js';
import { validateBoolean, validateDtypeZeroPoint, validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface QuantizedAddGeometry {
  readonly dtype: 'quint8' | 'qint8';
  /** per logical element: 1 vector form, 0 scalar form */
  readonly vectorForm: Uint8Array;
}

/** A binary op's three scales (finite, positive doubles) and zero points (in `dtype`'s range): every add and mul kernel's first check. */
export function validateBinaryQparams(what: string, attrs: BinaryQparams, dtype: 'quint8' | 'qint8'): void {
  validateScale(`${what}: a_scale`, attrs.aScale);
  validateScale(`${what}: b_scale`, attrs.bScale);
  validateScale(`${what}: scale`, attrs.scale);
  validateDtypeZeroPoint(`${what}: a_zero_point`, attrs.aZeroPoint, dtype);
  validateDtypeZeroPoint(`${what}: b_zero_point`, attrs.bZeroPoint, dtype);
  validateDtypeZeroPoint(`${what}: zero_point`, attrs.zeroPoint, dtype);
}

/**
 * The operands of ATen's quantized add or mul (`op`, as torch's messages name it): one dtype, quint8 or qint8, valid
 * shapes and values in it; returns the dtype.
 */
export function checkBinaryOperands(what: string, op: 'Add' | 'Mul', a: IntTensor, b: IntTensor): 'quint8' | 'qint8' {
  const dtype = a.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: a.dtype`, dtype, `quint8 or qint8 (a qint32 ${op.toLowerCase()} is not modelled)`);
  if (b.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: b.dtype`, b.dtype, `a and b have one dtype (${dtype}): torch "${op} operands should have same data type"`);
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    validateShape(`${what}: ${name}`, t);
    validateQuantizedValues(`${what}: ${name}`, t.data, dtype);
  }
  return dtype;
}

export function checkQuantizedAdd(a: IntTensor, b: IntTensor, attrs: QuantizedAddAttrs): QuantizedAddGeometry {
  const what = 'quantized_add';
  const dtype = checkBinaryOperands(what, 'Add', a, b);
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new QconformError('shape_mismatch', `${what}: b.shape`, b.shape, `a's shape [${a.shape.join(', ')}] (torch broadcasts b to a; broadcasting is not modelled)`);
  }
  validateBinaryQparams(what, attrs, dtype);
  validateBoolean(`${what}: relu`, attrs.relu);
  return { dtype, vectorForm: checkAtenElementwise(what, a.shape, attrs) };
}
