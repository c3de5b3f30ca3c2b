/**
 * The contract checks of matmul_integer@1, qlinear_matmul@1 and qgemm@1 (contract/onnx_qops.ts), run once by
 * reference/ and impl/ before any arithmetic; they return the GEMM geometry both iterate over. The accepted
 * shapes are what ONNX Runtime 1.30 accepts (probed with onnxruntime-node 1.30.0): MatMulComputeHelper's batch
 * broadcasting (numpy's, but a 0 only against a 0: matmulBatch) and 1-D operands
 * (core/providers/cpu/math/matmul_helper.h), IsBQuantParamSupported's b scale / zero point shapes
 * (quantize_linear_matmul.cc, matmul_integer.cc), QGemm's CheckInputs and GemmHelper
 * (contrib_ops/cpu/quantization/quant_gemm.cc, core/providers/cpu/math/gemm_helper.h), and the kernels' type
 * registrations. No arithmetic under test lives here.
 *
 * Empty matmuls (probed with onnxruntime-node 1.30): M = 0, N = 0 or an empty batch that MatMulComputeHelper accepts
 * (see matmulBatch: a 0 broadcasts only against a 0, except on its 2-D path, which K = 0 takes whatever b's batch
 * when rank(a) >= rank(b) >= 2: the output keeps a's batch dimensions) gives ORT's empty output, which qconform
 * returns too. K = 0 with a non-empty output is refused (EMPTY_K): MLAS's integer GEMM loops over K in blocks, so with
 * K = 0 it never writes the output, and neither the zero points' terms, QGemm's C nor a bias reach it; ORT 1.30
 * returned values that changed from run to run for MatMulInteger, QLinearMatMul, QGemm, MatMulIntegerToFloat and
 * DynamicQuantizeMatMul (with or without its bias). MatMulInteger16 is the exception: its Eigen product
 * (EigenCastGEMM) sets an inner dimension of 0 to zeros, so there K = 0 gives zeros. K = 0 with a b scale or zero
 * point of rank > 1 is refused whatever the output: ORT's helper divides by K and its process dies (SIGFPE:
 * ortMatmulK0ParamDies, kept from ORT by conformance/backends/onnxruntime/ort_known_crashes.ts).
 */
import { broadcastShapes } from './broadcast.js';
import { type QuantDtype } from './dtypes.js';
import { QconformError } from './errors.js';
import { MAX_MATMUL_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { MATMUL_ACCUMULATORS, type MatMulIntegerArgs, type MatmulAccumulator, type QGemmArgs, type QLinearMatMulArgs } from './onnx_qops.js';
import { type F32Tensor, type IntTensor, numel } from './tensor.js';
import { isPresentTensor, validateQuantizedValues, validateScale, validateShape } from './validate.js';

/** One GEMM of a (batched) matmul: where its A and B start, where its outputs go, where its b parameters start. */
export interface GemmBatch {
  readonly aOffset: number;
  readonly bOffset: number;
  readonly yOffset: number;
  /**
   * first per-column b parameter (scale or zero point) of this GEMM: b's batch index times N, ORT's RightOffsets / K
   * (MatMulComputeHelper::Compute's SetRightMatrixQuantParam); read through bParamIndex, only by a per-column parameter
   */
  readonly bParamOffset: number;
}

/** y[yOffset + m N + n] = sum_k A(m, k) B(k, n), A(m, k) = a[aOffset + m aStrideM + k aStrideK], likewise B. */
export interface MatmulGeometry {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly aStrideM: number;
  readonly aStrideK: number;
  readonly bStrideK: number;
  readonly bStrideN: number;
  readonly batches: readonly GemmBatch[];
  readonly outShape: readonly number[];
  /**
   * whether the b parameter the geometry was built with (matmulGeometry's `bParam`: b's zero point for MatMulInteger,
   * QLinearMatMul and MatMulIntegerToFloat, both for QGemm) has one value per column (bParamIndex)
   */
  readonly bPerColumn: boolean;
  readonly aDtype: QuantDtype;
  readonly bDtype: QuantDtype;
}

function fail(code: 'shape_mismatch' | 'invalid_dtype' | 'unknown_scheme' | 'unsupported_by_scheme', what: string, value: unknown, detail: string): never {
  throw new QconformError(code, what, value, detail);
}

export function quantTensor(what: string, t: IntTensor): QuantDtype {
  if (t.dtype !== 'quint8' && t.dtype !== 'qint8') fail('invalid_dtype', `${what}.dtype`, t.dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  validateShape(what, t);
  validateQuantizedValues(what, t.data, t.dtype);
  return t.dtype;
}

/** A zero point: the dtype of its tensor, values in range; its shape is checked by the caller. */
export function zeroPointTensor(what: string, zp: IntTensor, dtype: QuantDtype): void {
  if (zp.dtype !== dtype) fail('invalid_dtype', `${what}.dtype`, zp.dtype, `a zero point has the dtype of its tensor (${dtype})`);
  validateShape(what, zp);
  validateQuantizedValues(what, zp.data, dtype);
}

const isOneElement = (t: { shape: readonly number[] }) => t.shape.length <= 1 && numel(t.shape) === 1;

/** A one-element parameter ([] or [1]), as ORT's IsScalarOr1ElementVector. */
export function checkOneElement(what: string, t: { shape: readonly number[] }): void {
  if (!isOneElement(t)) fail('shape_mismatch', what, t.shape, 'a scalar or a 1-D tensor of one element (ORT 1.30 IsScalarOr1ElementVector)');
}

export function checkScales(what: string, s: F32Tensor): void {
  if (s.dtype !== 'float32') fail('invalid_dtype', `${what}.dtype`, s.dtype, 'scales are float32');
  validateShape(what, s);
  s.data.forEach((v, i) => validateScale(`${what}[${i}]`, v));
}

export function checkAccumulator(what: string, accumulator: string, aDtype: QuantDtype, bDtype: QuantDtype): MatmulAccumulator {
  if (!(MATMUL_ACCUMULATORS as readonly string[]).includes(accumulator)) fail('unknown_scheme', `${what}: accumulator`, accumulator, `one of ${MATMUL_ACCUMULATORS.join(', ')}`);
  if (accumulator === 'sat16_pairs_im2col' && (aDtype !== 'quint8' || bDtype !== 'qint8')) {
    fail('unsupported_by_scheme', `${what}: accumulator`, accumulator, `sat16_pairs_im2col models MLAS's u8 x s8 AVX2 GEMM: its A quint8, its B qint8 (got ${aDtype} x ${bDtype})`);
  }
  return accumulator as MatmulAccumulator;
}

/**
 * Whether ORT 1.30's MatMulComputeHelper::Compute (core/providers/cpu/math/matmul_helper.h) takes its 2-D path: a and b
 * of rank >= 2, rank(a) >= rank(b), and b's dimensions before its last multiplying to b's K (SizeToDimension(rank - 1)
 * == b's dim -2): b's batch dimensions all 1 (or none), or any batch when b's K is 0. That path flattens a to
 * [a's rows, K] and runs one GEMM against b's first matrix, keeping a's batch dimensions in the output (so with K = 0
 * b's batch is dropped, not broadcast: onnxruntime-node 1.30 gave y [1, 1, 2] for a [1, 1, 0], b [2, 0, 2]).
 */
function flattensA(a: readonly number[], b: readonly number[]): boolean {
  if (!(a.length >= 2 && b.length >= 2 && a.length >= b.length)) return false;
  return numel(b.slice(0, -2)) === 1 || b.at(-2) === 0;
}

/**
 * The broadcast batch shape of an ONNX MatMul of a and b (their original shapes), as ORT 1.30's
 * MatMulComputeHelper::Compute (core/providers/cpu/math/matmul_helper.h) accepts it; integer shape arithmetic only.
 * Its 2-D path (flattensA): a's batch, unchecked by the kernel; where b's batch is not all 1 (K = 0) the one-node
 * model's ONNX shape inference (onnx/defs/math/defs.cc matmulShapeInference: numpy broadcasting, a 1 against anything)
 * still refuses batch dimensions that do not broadcast ("[ShapeInferenceError] Incompatible dimensions").
 * Otherwise both are padded with leading 1s (a 1-D b also sets a's M row against b's 1, a broadcast dimension there)
 * and each output dimension is max(left, right), a side that differs from it having to be 1. So numpy's rules, except
 * that a 0 broadcasts only against a 0 (a 0 against a 1 or a missing dimension gives ORT's "left / right operand
 * cannot broadcast on dim i"; probed with onnxruntime-node 1.30 on every op that uses the helper).
 */
function matmulBatch(what: string, a: readonly number[], b: readonly number[]): number[] {
  const bBatch = b.length >= 2 ? b.slice(0, -2) : [];
  if (flattensA(a, b)) {
    if (numel(bBatch) !== 1) broadcastShapes(`${what}: the batch dimensions of a and b (ORT 1.30's ONNX shape inference: "Incompatible dimensions"; with K = 0 its kernel then keeps a's)`, { a: a.slice(0, -2), b: bBatch });
    return a.slice(0, -2);
  }
  const aRows = b.length === 1 ? a.slice(0, -1) : a.slice(0, -2); // a 1-D b: a's M row is broadcast against b's 1
  const rank = Math.max(aRows.length, bBatch.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const left = aRows[aRows.length - rank + i] ?? 1;
    const right = bBatch[bBatch.length - rank + i] ?? 1;
    const dim = Math.max(left, right);
    for (const [side, d] of [['left', left], ['right', right]] as const) {
      if (d !== dim && d !== 1) {
        fail('shape_mismatch', what, { a, b }, `the batch dimensions of a and b must broadcast as ORT 1.30's MatMulComputeHelper broadcasts them (numpy rules, but a 0 broadcasts only against a 0 unless b's batch dimensions are all 1 (or K = 0) and a's rank >= b's; a 1-D b sets a's M against 1): "${side} operand cannot broadcast on dim ${i}" (${left} against ${right})`);
      }
    }
    out.push(dim);
  }
  return b.length === 1 && a.length >= 2 ? out.slice(0, -1) : out;
}

/** Offset of the batch element `index` (of the broadcast batch shape `out`) inside an operand of batch shape `own`. */
function batchOffset(index: number, out: readonly number[], own: readonly number[]): number {
  let offset = 0;
  let stride = 1;
  let rest = index;
  for (let i = out.length - 1; i >= 0; i--) {
    const coord = rest % (out[i] as number);
    rest = Math.floor(rest / (out[i] as number));
    const j = own.length - out.length + i;
    if (j >= 0) {
      const d = own[j] as number;
      if (d !== 1) offset += coord * stride;
      stride *= d;
    }
  }
  return offset;
}

/**
 * How b's scale / zero point `p` applies for b of shape `bShape` (ORT 1.30 IsBQuantParamSupported, probed): one
 * element (per tensor); [N] or [1, N] for a 2-D b, b's shape with dim -2 set to 1 for b of rank >= 3 (per column);
 * null for any other shape.
 */
export function bQuantParamLayout(p: { shape: readonly number[] }, bShape: readonly number[]): 'tensor' | 'column' | null {
  if (isOneElement(p)) return 'tensor';
  const r = bShape.length;
  const n = bShape[r - 1] as number;
  const s = p.shape;
  if (r === 2 && ((s.length === 1 && s[0] === n) || (s.length === 2 && s[0] === 1 && s[1] === n))) return 'column';
  if (r >= 3 && s.length === r && s[r - 2] === 1 && s.every((d, i) => i === r - 2 || d === bShape[i])) return 'column';
  return null;
}

/** Whether b's scale / zero point is per column (bQuantParamLayout); shape_mismatch for a shape ORT refuses. */
export function bParamPerColumn(what: string, p: { shape: readonly number[] }, bShape: readonly number[]): boolean {
  const layout = bQuantParamLayout(p, bShape);
  if (layout) return layout === 'column';
  return fail('shape_mismatch', what, { param: p.shape, b: bShape }, 'b scale / zero point: one element, [N] or [1, N] for a 2-D b, or b\'s shape with dim -2 = 1 (ORT 1.30 IsBQuantParamSupported)');
}

/**
 * Index of output column j's value in a b scale or zero point of GEMM `batch`: bParamOffset + j for a per-column
 * parameter, else 0. ORT 1.30 indexes each of b's parameters on its own (QLinearMatMul::Compute,
 * quantize_linear_matmul.cc: scales at RightScaleOffsets, zero points at RightZeroPointOffsets, both RightOffsets / K
 * for a parameter of rank > 1 and 0 for one of rank <= 1, where b is 2-D and its one batch index 0), so a per-tensor
 * scale may go with a per-column zero point and the reverse. The one rule for every op here that reads b's
 * per-column parameters, in reference/ and impl/ alike: MatMulInteger (matmul_integer.cc: ZeroPointB at
 * RightZeroPointOffsets), MatMulIntegerToFloat and DynamicQuantizeMatMul (contrib_ops/cpu/quantization/
 * dynamic_quantize_matmul.cc ComputeCommon: scale and zero point each at RightOffsets / K when per column, else 0) and
 * QGemm (contrib_ops/cpu/quantization/quant_gemm.cc: one 2-D GEMM, bParamOffset 0, ZeroPointB and output_scales read
 * at column j when per column; what differs there is which shapes CheckInputs takes, b_scale and b_zero_point of one
 * shape, so one flag serves both: checkQGemm). Integer indexing only.
 */
export function bParamIndex(perColumn: boolean, batch: GemmBatch, j: number): number {
  return perColumn ? batch.bParamOffset + j : 0;
}

/** Why K = 0 is refused when the output is not empty (see the file comment). */
export const EMPTY_K =
  "K = 0 with a non-empty output: ORT 1.30's MLAS GEMM never writes the output then (onnxruntime-node 1.30 returned values that changed from run to run), so there is no result to model";

function checkMacs(what: string, g: { batches: readonly GemmBatch[]; m: number; n: number; k: number }): void {
  checkLimit(`${what}: output elements`, g.batches.length * g.m * g.n, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${what}: multiply-accumulates (batches * M * N * K)`, g.batches.length * g.m * g.n * g.k, MAX_MATMUL_MACS, 'MAX_MATMUL_MACS');
}

/**
 * The geometry of an ONNX MatMul of a and b (numpy matmul: 1-D operands, batch dimensions broadcast as matmulBatch). An
 * empty output is taken; K = 0 with a non-empty output is refused (EMPTY_K) unless `emptyK` is 'zeros' (MatMulInteger16's Eigen
 * product: every output 0).
 */
export function matmulGeometry(what: string, a: { readonly shape: readonly number[] }, b: IntTensor, bParam: { shape: readonly number[] } | null, emptyK: 'unwritten' | 'zeros' = 'unwritten'): Omit<MatmulGeometry, 'aDtype' | 'bDtype'> {
  if (a.shape.length < 1 || b.shape.length < 1) fail('shape_mismatch', what, { a: a.shape, b: b.shape }, 'a and b have at least one dimension');
  const aShape = a.shape.length === 1 ? [1, a.shape[0] as number] : a.shape;
  const bShape = b.shape.length === 1 ? [b.shape[0] as number, 1] : b.shape;
  const [m, k] = aShape.slice(-2) as [number, number];
  const [kb, n] = bShape.slice(-2) as [number, number];
  if (k !== kb) fail('shape_mismatch', what, { a: a.shape, b: b.shape }, `a's K (${k}) must equal b's K (${kb})`);
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = matmulBatch(what, a.shape, b.shape);
  const count = numel(batch);
  if (k === 0 && emptyK === 'unwritten' && count * m * n > 0) fail('shape_mismatch', what, { a: a.shape, b: b.shape }, EMPTY_K);
  const perColumn = bParam !== null && bParamPerColumn(`${what}: b scale / zero point`, bParam, b.shape);
  if (perColumn && b.shape.length < 2) fail('shape_mismatch', what, b.shape, 'per-column b parameters need a b of rank >= 2');
  checkMacs(what, { batches: { length: count } as GemmBatch[], m, n, k });
  const batches: GemmBatch[] = [];
  const twoD = flattensA(a.shape, b.shape);
  for (let i = 0; i < count; i++) {
    const bIndex = twoD ? 0 : batchOffset(i, batch, bBatch); // the 2-D path reads b's first matrix
    batches.push({ aOffset: batchOffset(i, batch, aBatch) * m * k, bOffset: bIndex * k * n, yOffset: i * m * n, bParamOffset: bIndex * n });
  }
  const outShape = matmulOutShape(batch, a.shape, b.shape);
  return { m, k, n, aStrideM: k, aStrideK: 1, bStrideK: n, bStrideN: 1, batches, outShape, bPerColumn: perColumn };
}

/** numpy matmul's output shape from the broadcast batch dims: then a's M unless a is 1-D, b's N unless b is 1-D. */
function matmulOutShape(batch: readonly number[], a: readonly number[], b: readonly number[]): number[] {
  return [...batch, ...(a.length === 1 ? [] : [a.at(-2)!]), ...(b.length === 1 ? [] : [b.at(-1)!])];
}

/**
 * a x b's output shape (numpy matmul), from the shapes alone, or null where they do not combine (an operand of rank 0,
 * batch dims that do not broadcast); K is not compared. For the predicates of known ORT crashes, which must hold
 * whatever else a request gets wrong.
 */
export function matmulOutputShape(a: readonly number[], b: readonly number[]): number[] | null {
  if (a.length === 0 || b.length === 0) return null;
  try {
    return matmulOutShape(matmulBatch('matmul', a, b), a, b);
  } catch {
    return null;
  }
}

/**
 * Why a matmul whose per-column b parameter ORT 1.30 divides by K = 0 is refused (ortMatmulK0ParamDies): its process
 * dies of SIGFPE, output empty or not.
 */
export const ORT_MATMUL_K0_PARAM_DIES =
  "K = 0 with a b scale or zero point of rank > 1: ORT 1.30's MatMulComputeHelper (SetRightMatrixQuantParam, matmul_helper.h) divides each GEMM's b offset by K (onnxruntime-node 1.30 died of SIGFPE)";

/**
 * Whether ORT 1.30's MatMulComputeHelper::Compute (core/providers/cpu/math/matmul_helper.h, the overload taking b's
 * scale and zero point shapes) divides by K = 0, which kills its process (SIGFPE), from the shapes alone. After the
 * plain Compute has accepted a and b, SetRightMatrixQuantParam looks at the zero point's shape, then the scale's (`params`
 * in that order, null where the kernel passes none): a parameter of rank > 1 must have b's rank and Size() * K equal to
 * b's Size() (else an error status, which ends it), then every GEMM's RightZeroPointOffsets / RightScaleOffsets entry is
 * computed as RightOffsets[i] / K, in integer arithmetic. With K = 0 (a's last dimension and b's dim -2) the size test
 * holds (0 = 0), so the first such parameter of b's rank divides by 0 once there is a GEMM: always on the helper's
 * 2-D path (flattensA: one offset, even for an empty output), else one per element of the broadcast batch shape (none
 * where it has a 0). The shapes the helper or the one-node model refuses: false. Integer shape arithmetic only.
 * Measured with onnxruntime-node 1.30 in its own process (tests/backends/ort_matmul_k0_param_crash.test.ts).
 */
export function ortMatmulK0ParamDies(a: readonly number[], b: readonly number[], params: readonly ({ shape: readonly number[] } | null | undefined)[]): boolean {
  if (a.length < 1 || b.length < 2 || a.at(-1) !== 0 || b.at(-2) !== 0) return false;
  const first = params.find((p) => p != null && p.shape.length > 1);
  if (first == null || first.shape.length !== b.length) return false;
  try {
    const batch = matmulBatch('matmul', a, b);
    return flattensA(a, b) || numel(batch) > 0;
  } catch {
    return false;
  }
}

/** The refusal of a matmul of a and b (their shapes) that ortMatmulK0ParamDies says kills ORT 1.30: shape_mismatch. */
export function failOrtMatmulK0Param(what: string, a: readonly number[], b: readonly number[]): never {
  return fail('shape_mismatch', what, { a, b }, ORT_MATMUL_K0_PARAM_DIES);
}

/** A b parameter IsBQuantParamSupported takes (bQuantParamLayout), or null: what ORT 1.30 hands MatMulComputeHelper where it checks first. */
const supportedBParam = <T extends { shape: readonly number[] }>(p: T | null | undefined, b: readonly number[]): T | null => (p != null && bQuantParamLayout(p, b) !== null ? p : null);

/**
 * Whether a MatMulInteger request kills ORT 1.30 (ortMatmulK0ParamDies): MatMulInteger::Compute (matmul_integer.cc)
 * ORT_ENFORCEs IsBQuantParamSupported on b_zero_point, then passes its shape (no scale) to the helper.
 */
export function ortMatMulIntegerDies(a: MatMulIntegerArgs): boolean {
  return ortMatmulK0ParamDies(a.a.shape, a.b.shape, [supportedBParam(a.bZeroPoint, a.b.shape)]);
}

/**
 * Whether a QLinearMatMul request kills ORT 1.30 (ortMatmulK0ParamDies): QLinearMatMul::Compute
 * (quantize_linear_matmul.cc) ORT_ENFORCEs one-element a / y scales and zero points and IsBQuantParamSupported on b's,
 * then passes b_scale's and b_zero_point's shapes to the helper.
 */
export function ortQLinearMatMulDies(a: QLinearMatMulArgs): boolean {
  if (![a.aScale, a.aZeroPoint, a.yScale, a.yZeroPoint].every(isOneElement)) return false;
  const [zp, scale] = [supportedBParam(a.bZeroPoint, a.b.shape), supportedBParam(a.bScale, a.b.shape)];
  return zp !== null && scale !== null && ortMatmulK0ParamDies(a.a.shape, a.b.shape, [zp, scale]);
}

/** The ORT 1.30 type registrations of QLinearMatMul and QGemm: u8 x u8, u8 x s8, s8 x s8 (not s8 x u8). */
function checkQLinearTypes(what: string, aDtype: QuantDtype, bDtype: QuantDtype): void {
  if (aDtype === 'qint8' && bDtype === 'quint8') fail('invalid_dtype', `${what}: b.dtype`, bDtype, 'ORT 1.30 registers int8 a with int8 b only (u8 x u8, u8 x s8, s8 x s8)');
}

export function checkMatMulInteger(a: MatMulIntegerArgs): MatmulGeometry {
  const what = 'matmul_integer';
  const aDtype = quantTensor(`${what}: a`, a.a);
  const bDtype = quantTensor(`${what}: b`, a.b);
  checkAccumulator(what, a.accumulator, aDtype, bDtype);
  if (isPresentTensor(`${what}: a_zero_point`, a.aZeroPoint)) {
    zeroPointTensor(`${what}: a_zero_point`, a.aZeroPoint, aDtype);
    checkOneElement(`${what}: a_zero_point`, a.aZeroPoint);
  }
  if (isPresentTensor(`${what}: b_zero_point`, a.bZeroPoint)) zeroPointTensor(`${what}: b_zero_point`, a.bZeroPoint, bDtype);
  if (ortMatMulIntegerDies(a)) failOrtMatmulK0Param(what, a.a.shape, a.b.shape);
  return { ...matmulGeometry(what, a.a, a.b, a.bZeroPoint), aDtype, bDtype };
}

/** QGemm's CheckInputs: b_scale and b_zero_point of one shape (QLinearMatMul takes any pair IsBQuantParamSupported takes). */
function checkSameShape(what: string, s: { shape: readonly number[] }, z: { shape: readonly number[] }): void {
  if (s.shape.length !== z.shape.length || s.shape.some((d, i) => d !== z.shape[i])) fail('shape_mismatch', what, { scale: s.shape, zero_point: z.shape }, 'b scale and b zero point have the same shape (ORT 1.30 QGemm CheckInputs)');
}

export interface QLinearMatMulGeometry extends MatmulGeometry {
  /** whether b_scale has one value per column (bParamIndex); `bPerColumn` is b_zero_point's */
  readonly scalePerColumn: boolean;
}

/**
 * QLinearMatMul (ORT 1.30 QLinearMatMul::Compute, quantize_linear_matmul.cc): a_scale, a_zero_point, y_scale and
 * y_zero_point each one element (IsScalarOr1ElementVector: [] or [1], each on its own); b_scale and b_zero_point each
 * a shape IsBQuantParamSupported takes (bQuantParamLayout), checked and indexed independently (bParamIndex): their
 * shapes need not match (probed with onnxruntime-node 1.30: e.g. b_scale [N] with b_zero_point [], b_scale [] with
 * b_zero_point [2, 1, N] for b [2, K, N]).
 */
export function checkQLinearMatMul(a: QLinearMatMulArgs): QLinearMatMulGeometry {
  const what = 'qlinear_matmul';
  const aDtype = quantTensor(`${what}: a`, a.a);
  const bDtype = quantTensor(`${what}: b`, a.b);
  checkQLinearTypes(what, aDtype, bDtype);
  checkAccumulator(what, a.accumulator, aDtype, bDtype);
  for (const [name, s] of [['a_scale', a.aScale], ['y_scale', a.yScale]] as const) {
    checkScales(`${what}: ${name}`, s);
    checkOneElement(`${what}: ${name}`, s);
  }
  checkScales(`${what}: b_scale`, a.bScale);
  for (const [name, z, dtype] of [['a_zero_point', a.aZeroPoint, aDtype], ['y_zero_point', a.yZeroPoint, aDtype]] as const) {
    zeroPointTensor(`${what}: ${name}`, z, dtype);
    checkOneElement(`${what}: ${name}`, z);
  }
  zeroPointTensor(`${what}: b_zero_point`, a.bZeroPoint, bDtype);
  bParamPerColumn(`${what}: b_zero_point`, a.bZeroPoint, a.b.shape); // named here, in ORT's order; matmulGeometry repeats it
  const scalePerColumn = bParamPerColumn(`${what}: b_scale`, a.bScale, a.b.shape);
  if (ortQLinearMatMulDies(a)) failOrtMatmulK0Param(what, a.a.shape, a.b.shape);
  const g = matmulGeometry(what, a.a, a.b, a.bZeroPoint);
  return { ...g, scalePerColumn, aDtype, bDtype };
}

/** C's broadcast to [M, N] (GemmHelper / GemmBroadcastBias): [], [1], [N], [1, N], [M, 1] or [M, N]; returns the index of (m, n) in C. */
export function gemmBiasIndexer(what: string, c: { shape: readonly number[] }, m: number, n: number): (i: number, j: number) => number {
  const s = c.shape;
  if (numel(s) === 1 && s.length <= 2) return () => 0;
  if ((s.length === 1 && s[0] === n) || (s.length === 2 && s[0] === 1 && s[1] === n)) return (_i, j) => j;
  if (s.length === 2 && s[0] === m && s[1] === 1) return (i) => i;
  if (s.length === 2 && s[0] === m && s[1] === n) return (i, j) => i * n + j;
  return fail('shape_mismatch', `${what}: c`, { c: s, m, n }, 'C broadcasts to [M, N]: [], [1], [N], [1, N], [M, 1] or [M, N]');
}

export interface QGemmGeometry extends MatmulGeometry {
  /** index of output (m, n) in C, or null without C */
  readonly biasIndex: ((i: number, j: number) => number) | null;
  /** whether the output is float32 (no y_scale) */
  readonly floatOutput: boolean;
}

/**
 * QGemm's float attribute alpha is not checked: ORT 1.30 reads it with GetAttrOrDefault (GemmBase, default 1) and
 * ComputeOutputScale multiplies it into every output scale, f32(f32(alpha * a_scale) * b_scale[c]) (then / y_scale),
 * whatever float32 it holds (contrib_ops/cpu/quantization/quant_gemm.cc). So any number is computed with, rounded to
 * float32 as ONNX stores it: +-inf, NaN, +-0, subnormals, and a float64 that rounds to +-inf in float32 (+-1e39).
 * reference/onnx/qgemm.ts says what each gives; measured live in tests/backends/ort_qgemm_alpha.test.ts.
 */
export function checkQGemm(a: QGemmArgs): QGemmGeometry {
  const what = 'qgemm';
  const aDtype = quantTensor(`${what}: a`, a.a);
  const bDtype = quantTensor(`${what}: b`, a.b);
  checkQLinearTypes(what, aDtype, bDtype);
  checkAccumulator(what, a.accumulator, aDtype, bDtype);
  if (a.a.shape.length !== 2 || a.b.shape.length !== 2) fail('shape_mismatch', what, { a: a.a.shape, b: a.b.shape }, 'a and b are 2-D');
  if (typeof a.transA !== 'boolean' || typeof a.transB !== 'boolean') fail('shape_mismatch', `${what}: trans_a / trans_b`, [a.transA, a.transB], 'booleans');
  const [m, k] = (a.transA ? [a.a.shape[1], a.a.shape[0]] : a.a.shape) as [number, number];
  const [kb, n] = (a.transB ? [a.b.shape[1], a.b.shape[0]] : a.b.shape) as [number, number];
  if (k !== kb) fail('shape_mismatch', what, { a: a.a.shape, b: a.b.shape, transA: a.transA, transB: a.transB }, `a's K (${k}) must equal b's K (${kb})`);
  if (k === 0 && m * n > 0) fail('shape_mismatch', what, { m, n, k }, EMPTY_K);
  checkScales(`${what}: a_scale`, a.aScale);
  checkOneElement(`${what}: a_scale`, a.aScale);
  zeroPointTensor(`${what}: a_zero_point`, a.aZeroPoint, aDtype);
  checkOneElement(`${what}: a_zero_point`, a.aZeroPoint);
  checkScales(`${what}: b_scale`, a.bScale);
  zeroPointTensor(`${what}: b_zero_point`, a.bZeroPoint, bDtype);
  for (const [name, p] of [['b_scale', a.bScale], ['b_zero_point', a.bZeroPoint]] as const) {
    const ok = p.shape.length === 0 || (p.shape.length === 1 && (p.shape[0] === 1 || p.shape[0] === n));
    if (!ok) fail('shape_mismatch', `${what}: ${name}`, p.shape, `a scalar or a 1-D tensor of size 1 or N = ${n} (QGemm CheckInputs)`);
  }
  checkSameShape(`${what}: b_scale`, a.bScale, a.bZeroPoint);
  if ((a.yScale === null) !== (a.yZeroPoint === null)) fail('shape_mismatch', what, { y_scale: a.yScale !== null, y_zero_point: a.yZeroPoint !== null }, 'y_scale and y_zero_point are given together (quantized output) or both omitted (float32 output)');
  if (a.yScale && a.yZeroPoint) {
    checkScales(`${what}: y_scale`, a.yScale);
    checkOneElement(`${what}: y_scale`, a.yScale);
    zeroPointTensor(`${what}: y_zero_point`, a.yZeroPoint, aDtype);
    checkOneElement(`${what}: y_zero_point`, a.yZeroPoint);
  }
  let biasIndex = null;
  if (a.c) {
    if (a.c.dtype !== 'int32') fail('invalid_dtype', `${what}: c.dtype`, a.c.dtype, 'C is int32');
    validateShape(`${what}: c`, a.c);
    biasIndex = gemmBiasIndexer(what, a.c, m, n);
  }
  const batches = [{ aOffset: 0, bOffset: 0, yOffset: 0, bParamOffset: 0 }];
  checkMacs(what, { batches, m, n, k });
  const perColumn = numel(a.bScale.shape) !== 1;
  return {
    m,
    k,
    n,
    aStrideM: a.transA ? 1 : k,
    aStrideK: a.transA ? m : 1,
    bStrideK: a.transB ? 1 : n,
    bStrideN: a.transB ? k : 1,
    batches,
    outShape: [m, n],
    bPerColumn: perColumn,
    aDtype,
    bDtype,
    biasIndex,
    floatOutput: a.yScale === null,
  };
}
