/**
 * The contract check of the qnnpack engine's integer adds, qnnpack_add@1 (QNNPACK's, quint8: contract/qnnpack_add.ts)
 * and xnnpack_add@1 (XNNPACK's, qint8: contract/xnnpack_add.ts), run once by reference/ and impl/: dtypes, shapes,
 * values, scales and zero points, and the library's own refusals (QNNPACK's pytorch_qnnp_create_add_nc_q8,
 * qnnpack/src/add.c; XNNPACK's xnn_create_add_nd_qs8): float32 scales that are not positive normals, an empty ReLU
 * output range, input-to-output ratios outside [min ratio, 2^8). The ratios are float32 divisions (Math.fround of the
 * double quotient of two float32 values is the float32 quotient).
 */
import { DTYPE_RANGE } from './dtypes.js';
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';
import type { BinaryQparams } from './quantized_add.js';
import type { IntTensor } from './tensor.js';
import { validateBinaryQparams } from './quantized_add_checks.js';
import { validateBoolean, validateQuantizedValues, validateShape } from './validate.js';

/** What tells the two kernels' checks apart. */
export interface IntegerAddKernel {
  /** the op's name in messages */
  readonly what: 'qnnpack_add' | 'xnnpack_add';
  readonly dtype: 'quint8' | 'qint8';
  /** why the other dtype is not this op */
  readonly otherDtype: string;
  /** the smallest input-to-output scale ratio the library takes (the largest, exclusive, is 2^8 for both) */
  readonly minRatio: number;
  readonly library: 'QNNPACK' | 'XNNPACK';
  /** what torch raises when the library refuses */
  readonly torchRaises: string;
}

export const QNNPACK_ADD: IntegerAddKernel = {
  what: 'qnnpack_add',
  dtype: 'quint8',
  otherDtype: "quint8 (the qnnpack engine adds qint8 with XNNPACK's xnnp_add: xnnpack_add@1)",
  minRatio: 2 ** -14,
  library: 'QNNPACK',
  torchRaises: 'torch raises "failed to create QNNPACK Add operator"',
};

export const XNNPACK_ADD: IntegerAddKernel = {
  what: 'xnnpack_add',
  dtype: 'qint8',
  otherDtype: "qint8 (the qnnpack engine adds quint8 with QNNPACK's add: qnnpack_add@1)",
  minRatio: 2 ** -10,
  library: 'XNNPACK',
  torchRaises: 'torch raises "xnnp_add(): xnn create operator failed"',
};

/** The largest (exclusive) input-to-output scale ratio both libraries take. */
export const INTEGER_ADD_MAX_RATIO = 2 ** 8;

export interface IntegerAddGeometry {
  /** the output range: the dtype's, or [z, dtype max] with ReLU */
  readonly outMin: number;
  readonly outMax: number;
}

export function checkIntegerAdd(k: IntegerAddKernel, a: IntTensor, b: IntTensor, attrs: BinaryQparams): IntegerAddGeometry {
  const { what, dtype } = k;
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (t.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, t.dtype, k.otherDtype);
    validateShape(`${what}: ${name}`, t);
    if (t.shape.length === 0 || t.shape.includes(0)) throw new QconformError('shape_mismatch', `${what}: ${name}.shape`, t.shape, 'rank >= 1 and every dimension at least 1 (0-d and empty tensors are not modelled)');
    validateQuantizedValues(`${what}: ${name}`, t.data, dtype);
  }
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new QconformError('shape_mismatch', `${what}: b.shape`, b.shape, `a's shape [${a.shape.join(', ')}] (tensors of two shapes: torch adds them with ${k.library === 'QNNPACK' ? "ATen's qadd_kernel" : "XNNPACK's broadcasting, not modelled"})`);
  }
  validateBinaryQparams(what, attrs, dtype);
  validateBoolean(`${what}: relu`, attrs.relu);
  for (const [name, s] of [['a_scale', attrs.aScale], ['b_scale', attrs.bScale], ['scale', attrs.scale]] as const) {
    if (!isPositiveNormalFloat32(s)) throw new QconformError('unsupported_by_scheme', `${what}: ${name}`, s, `a scale whose float32 is a positive normal (${k.library}: "scale must be finite and positive"; ${k.torchRaises})`);
  }
  const { min, max } = DTYPE_RANGE[dtype];
  const outMin = attrs.relu ? attrs.zeroPoint : min;
  if (outMin >= max) throw new QconformError('unsupported_by_scheme', `${what}: zero_point`, attrs.zeroPoint, `below ${max} with ReLU (${k.library}: the output range [${max}, ${max}] is empty; ${k.torchRaises})`);
  const s = Math.fround(attrs.scale);
  const range = `[2^${Math.log2(k.minRatio)}, 2^8)`;
  for (const [name, x] of [['a_scale', attrs.aScale], ['b_scale', attrs.bScale]] as const) {
    const ratio = Math.fround(Math.fround(x) / s);
    if (ratio < k.minRatio || ratio >= INTEGER_ADD_MAX_RATIO) {
      throw new QconformError('unsupported_by_scheme', `${what}: ${name} / scale`, ratio, `a float32 ratio in ${range} (${k.library}: "scale ratio must be in ${range} range"; ${k.torchRaises})`);
    }
  }
  return { outMin, outMax: max };
}
