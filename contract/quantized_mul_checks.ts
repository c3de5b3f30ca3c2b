/**
 * The contract check of quantized_mul@1 (contract/quantized_mul.ts), run once by reference/ and impl/: dtypes, values,
 * the broadcast shape, scales and zero points (a qint8 mul torch sends to XNNPACK refused), the capability, memory
 * format and thread count; returns where each output element reads a and b and, with equal shapes, its form.
 */
import { checkAtenElementwise } from './aten_vectorized_loop.js';
import { broadcastIndex, broadcastShapes } from './broadcast.js';
import { QconformError } from './errors.js';
import { checkBinaryOperands, validateBinaryQparams } from './quantized_add_checks.js';
import { QINT8_QMUL_KERNEL_ZERO_POINT, type QuantizedMulAttrs } from './quantized_mul.js';
import type { IntTensor } from './tensor.js';
import { validateBoolean } from './validate.js';

export interface QuantizedMulGeometry {
  readonly dtype: 'quint8' | 'qint8';
  readonly shape: number[];
  /** per output element (row-major): the flat index of the element of a and of b it reads */
  readonly aIndex: Int32Array;
  readonly bIndex: Int32Array;
  /** per output element: 1 vector form, 0 scalar form; null where a and b broadcast (the split is not modelled) */
  readonly vectorForm: Uint8Array | null;
}

export function checkQuantizedMul(a: IntTensor, b: IntTensor, attrs: QuantizedMulAttrs): QuantizedMulGeometry {
  const what = 'quantized_mul';
  const dtype = checkBinaryOperands(what, 'Mul', a, b);
  const shape = broadcastShapes(`${what}: a.shape, b.shape`, { a: a.shape, b: b.shape });
  validateBinaryQparams(what, attrs, dtype);
  validateBoolean(`${what}: relu`, attrs.relu);
  if (dtype === 'qint8' && attrs.zeroPoint < QINT8_QMUL_KERNEL_ZERO_POINT) {
    throw new QconformError('unsupported_by_scheme', `${what}: zero_point`, attrs.zeroPoint, `${QINT8_QMUL_KERNEL_ZERO_POINT} for qint8: torch 1.13 multiplies qint8 with a lower output zero point in XNNPACK (_mul_out_xnnpack), not qmul_kernel`);
  }
  if (attrs.memoryFormat === 'channels_last' && (a.shape.length !== 4 || b.shape.length !== 4)) {
    throw new QconformError('shape_mismatch', `${what}: memory_format channels_last`, { a: a.shape, b: b.shape }, 'a and b both 4-D [N, C, H, W] (torch.channels_last)');
  }
  const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  const vectorForm = checkAtenElementwise(what, shape, attrs, 'own');
  return { dtype, shape, aIndex: broadcastIndex(a.shape, shape), bIndex: broadcastIndex(b.shape, shape), vectorForm: sameShape ? vectorForm : null };
}

/** The refusal where a and b broadcast and the two forms give element `index` different outputs (contract/quantized_mul.ts). */
export function brokenBroadcastSplit(index: number, vector: number, scalar: number): QconformError {
  return new QconformError('unsupported_by_scheme', `quantized_mul: output element ${index}`, { vector, scalar }, "one output for both of qmul_kernel's forms: they part here (f32(c m) reaches 2^31) and torch's split of a broadcast loop is not modelled");
}
