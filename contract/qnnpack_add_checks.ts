/**
 * The contract check of qnnpack_add@1 (contract/qnnpack_add.ts), run once by reference/ and impl/: dtypes, shapes,
 * values, scales and zero points, and QNNPACK's own refusals (pytorch_qnnp_create_add_nc_q8, qnnpack/src/add.c): float32
 * scales that are not positive normals, an empty ReLU output range, input-to-output ratios outside [2^-14, 2^8). The
 * ratios are float32 divisions (Math.fround of the double quotient of two float32 values is the float32 quotient).
 */
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';
import type { QnnpackAddAttrs } from './qnnpack_add.js';
import type { IntTensor } from './tensor.js';
import { validateBoolean, validateDtypeZeroPoint, validateQuantizedValues, validateScale, validateShape } from './validate.js';

/** The smallest and (exclusive) largest input-to-output scale ratio QNNPACK takes. */
export const QNNPACK_ADD_MIN_RATIO = 2 ** -14;
export const QNNPACK_ADD_MAX_RATIO = 2 ** 8;

const TORCH_RAISES = 'torch raises "failed to create QNNPACK Add operator"';

export interface QnnpackAddGeometry {
  /** the output range: [0, 255], or [z, 255] with ReLU */
  readonly outMin: number;
  readonly outMax: number;
}

export function checkQnnpackAdd(a: IntTensor, b: IntTensor, attrs: QnnpackAddAttrs): QnnpackAddGeometry {
  const what = 'qnnpack_add';
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (t.dtype !== 'quint8') throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, t.dtype, "quint8 (the qnnpack engine adds qint8 with XNNPACK's xnnp_add, not modelled)");
    validateShape(`${what}: ${name}`, t);
    if (t.shape.length === 0 || t.shape.includes(0)) throw new QconformError('shape_mismatch', `${what}: ${name}.shape`, t.shape, 'rank >= 1 and every dimension at least 1 (0-d and empty tensors are not modelled)');
    validateQuantizedValues(`${what}: ${name}`, t.data, 'quint8');
  }
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new QconformError('shape_mismatch', `${what}: b.shape`, b.shape, `a's shape [${a.shape.join(', ')}] (torch adds tensors of two shapes with ATen's qadd_kernel, not QNNPACK)`);
  }
  validateScale(`${what}: a_scale`, attrs.aScale);
  validateScale(`${what}: b_scale`, attrs.bScale);
  validateScale(`${what}: scale`, attrs.scale);
  validateDtypeZeroPoint(`${what}: a_zero_point`, attrs.aZeroPoint, 'quint8');
  validateDtypeZeroPoint(`${what}: b_zero_point`, attrs.bZeroPoint, 'quint8');
  validateDtypeZeroPoint(`${what}: zero_point`, attrs.zeroPoint, 'quint8');
  validateBoolean(`${what}: relu`, attrs.relu);
  for (const [name, s] of [['a_scale', attrs.aScale], ['b_scale', attrs.bScale], ['scale', attrs.scale]] as const) {
    if (!isPositiveNormalFloat32(s)) throw new QconformError('unsupported_by_scheme', `${what}: ${name}`, s, `a scale whose float32 is a positive normal (QNNPACK: "scale must be finite and positive"; ${TORCH_RAISES})`);
  }
  const outMin = attrs.relu ? attrs.zeroPoint : 0;
  if (outMin >= 255) throw new QconformError('unsupported_by_scheme', `${what}: zero_point`, attrs.zeroPoint, `below 255 with ReLU (QNNPACK: the output range [255, 255] is empty; ${TORCH_RAISES})`);
  const s = Math.fround(attrs.scale);
  for (const [name, x] of [['a_scale', attrs.aScale], ['b_scale', attrs.bScale]] as const) {
    const ratio = Math.fround(Math.fround(x) / s);
    if (ratio < QNNPACK_ADD_MIN_RATIO || ratio >= QNNPACK_ADD_MAX_RATIO) {
      throw new QconformError('unsupported_by_scheme', `${what}: ${name} / scale`, ratio, `a float32 ratio in [2^-14, 2^8) (QNNPACK: "scale ratio must be in [2**-14, 2**8) range"; ${TORCH_RAISES})`);
    }
  }
  return { outMin, outMax: 255 };
}
