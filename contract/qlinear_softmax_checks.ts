/**
 * The contract check of qlinear_softmax@1 (com.microsoft QLinearSoftmax, onnxruntime/contrib_ops/cpu/quantization/
 * qlinear_softmax.cc, ORT 1.30 with EXP_OUT_DTYPE = float), run once by reference/ and impl/.
 *
 * The kernel's table (QlinearBuildLookupTableUint32) calls libm: for a reduce length D and x_scale s,
 *   L = log(double(f32(FLT_MAX / f32(D))))          glibc's double log
 *   b = max(0, L - 5) / s                             double
 *   t[i] = float(exp(((double)i - 255 + b) * s))      glibc's double exp, then one rounding to float32
 * glibc's log and exp are faithful (error below 1 ulp) but not correctly rounded, and JavaScript's Math.log / Math.exp
 * (V8's fdlibm port, also faithful) are not glibc's. qconform models a request only when libm's last bit cannot
 * matter: for each of the three doubles around Math.log's L (glibc's faithful L is one of them), every table entry
 * must round to one float32 whichever of the three doubles around Math.exp's value libm returns (glibc's faithful
 * exp is one of them). Otherwise the request is refused with `unsupported_by_scheme` (about one table entry in 2^28
 * sits that close to a float32 rounding boundary). The pinned table is returned: its float32 values are therefore
 * exactly ORT's.
 *
 * opset and axis are read as ORT's constructor keeps them, narrowed to int32 (contract/ort_int32_attribute.ts): any
 * narrowed opset below 13 (0 and negatives too; ORT does not check it) softmaxes the flattened dimensions from axis on,
 * 13 and above the one axis; the narrowed axis must lie in [-rank, rank) (HandleNegativeAxis).
 *
 * Also refused with `unsupported_by_scheme`: y_scale with floor(f32(1 / y_scale)) > 2^24, and requests where
 * f32(t[255] * floor(f32(1 / y_scale))) overflows (a reduce length of 1 with y_scale < 1/148: ORT converts inf to an
 * integer, undefined behaviour in C++). An empty x is refused (`shape_mismatch`, EMPTY_SOFTMAX).
 */
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS } from './limits.js';
import type { QLinearSoftmaxArgs } from './onnx_qops.js';
import { oneElementScale, oneElementZeroPoint } from './qlinear_lookup_checks.js';
import { numel } from './tensor.js';
import { ortNarrowToInt32 } from './ort_int32_attribute.js';
import { normalizeAxis, validateQuantizedValues, validateShape } from './validate.js';

export interface QLinearSoftmaxGeometry {
  readonly dtype: 'quint8' | 'qint8';
  /** the reduce length D, the element stride along it, and the number of rows */
  readonly reduceLength: number;
  readonly stride: number;
  readonly rows: number;
  /** the flat index of element 0 of row r */
  readonly rowStart: (r: number) => number;
  /** floor(f32(1 / y_scale)), a float32 integer in [0, 2^24] */
  readonly yScaleFloor: number;
  readonly yZeroPoint: number;
  /** ORT's exp table t[i], i = 0..255 (index 255 is the row maximum), float32 values pinned as described above */
  readonly expTable: Float64Array;
}

const FLT_MAX = 3.4028234663852886e38;
const MAX_Y_SCALE_FLOOR = 2 ** 24;

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

/** The double next to the finite positive or zero double x, upward or downward. */
function nextDouble(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : 0;
  F64[0] = x;
  I64[0] = (I64[0] as bigint) + (up ? 1n : -1n);
  return F64[0] as number;
}

/** float(exp(arg)) for any faithful exp, or null when the faithful results round to different float32 values. */
function pinnedExpF32(arg: number): number | null {
  const e = Math.exp(arg);
  if (e === Number.POSITIVE_INFINITY) return null;
  const f = Math.fround(e);
  return Math.fround(nextDouble(e, false)) === f && Math.fround(nextDouble(e, true)) === f ? f : null;
}

/** QlinearBuildLookupTableUint32's exp argument of entry i, given the log result L (double arithmetic, as ORT). */
export function softmaxExpArgument(i: number, logResult: number, xScale: number): number {
  const bitShift = Math.max(0, logResult - 5) / xScale;
  return (i - 255 + bitShift) * xScale;
}

function pinnedExpTable(what: string, reduceLength: number, xScale: number): Float64Array {
  const quotient = Math.fround(FLT_MAX / Math.fround(reduceLength));
  const l = Math.log(quotient);
  const table = new Float64Array(256);
  for (const [k, logResult] of [l, nextDouble(l, false), nextDouble(l, true)].entries()) {
    for (let i = 0; i < 256; i++) {
      const v = pinnedExpF32(softmaxExpArgument(i, logResult, xScale));
      if (v === null || (k > 0 && v !== table[i])) {
        throw new QconformError('unsupported_by_scheme', what, { entry: i, reduceLength, xScale }, "this exp table entry depends on the last bit of libm's log or exp (qconform models only the requests it does not)");
      }
      table[i] = v;
    }
  }
  return table;
}

/**
 * Why an empty x is refused: QLinearSoftmax::Compute (qlinear_softmax.cc) returns for an empty x before it creates its
 * output ("nothing to do"), so ORT 1.30 has no y to give; onnxruntime-node 1.30 died of SIGSEGV on every empty x probed
 * (shapes [0], [0, 4], [3, 0], [2, 0, 3], [2, 3, 0]; both dtypes, opset 1 and 13, every axis).
 */
/** Whether this QLinearSoftmax kills ORT 1.30's process (EMPTY_SOFTMAX: an empty x), from x's shape alone. */
export const ortSoftmaxDies = (a: { x: { shape: readonly number[] } }): boolean => numel(a.x.shape) === 0;

export const EMPTY_SOFTMAX = 'an empty x: ORT 1.30\'s QLinearSoftmax returns before creating its output (onnxruntime-node 1.30 dies of SIGSEGV), so there is no y to model';

export function checkQLinearSoftmax(what: string, a: QLinearSoftmaxArgs): QLinearSoftmaxGeometry {
  const dtype = a.x.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  validateShape(`${what}: x`, a.x);
  const shape = a.x.shape;
  if (shape.length === 0) throw new QconformError('shape_mismatch', `${what}: x`, shape, 'rank >= 1');
  if (numel(shape) === 0) throw new QconformError('shape_mismatch', `${what}: x`, shape, EMPTY_SOFTMAX);
  validateQuantizedValues(`${what}: x`, a.x.data, dtype);
  const opset = ortNarrowToInt32(`${what}: opset`, a.opset);
  const axis32 = ortNarrowToInt32(`${what}: axis`, a.axis);
  const axis = normalizeAxis(axis32 === a.axis ? `${what}: axis` : `${what}: axis ${a.axis} (ORT's int32 ${axis32})`, axis32, shape.length, true);
  const xScale = oneElementScale(`${what}: x_scale`, a.xScale);
  oneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype);
  const yScale = oneElementScale(`${what}: y_scale`, a.yScale);
  const yZeroPoint = oneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype);
  const yScaleFloor = Math.floor(Math.fround(1 / yScale));
  if (yScaleFloor > MAX_Y_SCALE_FLOOR) {
    throw new QconformError('unsupported_by_scheme', `${what}: y_scale`, yScale, `floor(1 / y_scale) must be <= 2^24 (ORT converts the scaled float outputs to int32)`);
  }
  const outer = numel(shape.slice(0, axis));
  const flattened = opset < 13;
  const reduceLength = flattened ? numel(shape.slice(axis)) : (shape[axis] as number);
  const inner = flattened ? 1 : numel(shape.slice(axis + 1));
  if (reduceLength > MAX_TENSOR_ELEMENTS) throw new QconformError('too_large', `${what}: reduce length`, reduceLength, `limit MAX_TENSOR_ELEMENTS = ${MAX_TENSOR_ELEMENTS}`);
  const expTable = pinnedExpTable(`${what}: exp table`, reduceLength, xScale);
  if (!Number.isFinite(Math.fround((expTable[255] as number) * yScaleFloor))) {
    throw new QconformError('unsupported_by_scheme', `${what}: y_scale`, yScale, `f32(exp table maximum * floor(1 / y_scale)) overflows for reduce length ${reduceLength}: ORT converts inf to an integer`);
  }
  return {
    dtype,
    reduceLength,
    stride: inner,
    rows: outer * inner,
    rowStart: (r) => Math.floor(r / inner) * reduceLength * inner + (r % inner),
    yScaleFloor,
    yZeroPoint,
    expTable,
  };
}
