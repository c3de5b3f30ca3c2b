/**
 * The contract checks of matmul_integer_to_float@1 and dynamic_quantize_matmul@1 (contract/onnx_qops.ts), run once
 * by reference/ and impl/ before any arithmetic; they return the GEMM geometry and the roles of the scales both
 * iterate over. What ORT 1.30 accepts (probed with onnxruntime-node 1.30.0;
 * contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): the kernels' type registrations (MatMulIntegerToFloat:
 * a uint8 or int8, an int8 a with an int8 b only; a zero point of its tensor's type), MatMulComputeHelper's shapes,
 * a one-element a_zero_point (ORT_ENFORCE), b's zero point per tensor or per column (IsBQuantParamSupported), a bias
 * of N elements. The scales: MatMulIntegerToFloat first swaps a_scale and b_scale when their shapes look like the
 * other's (FixupScaleTensor); then a one-element a_scale and a b_scale IsBQuantParamSupported takes enter the GEMM's
 * multiplier, and any other scale is multiplied into the finished output afterwards (ScaleOutput: a numpy broadcast
 * to the output's shape, a_scale's first), so its shape must broadcast to the output's (on an empty output, only against
 * it: emptyOutputScale).
 * Refused although ORT computes it: an output scale f32(a_scale * b_scale) that overflows float32 (ORT's output is
 * then NaN wherever the accumulator is 0). Refused because ORT's process dies of it: K = 0 with a b zero point of b's
 * rank > 1 or such a b scale in the GEMM's multiplier (ortIntegerToFloatK0Dies, SIGFPE), and a scale ScaleOutput
 * broadcasts past the output (ortScaleOutputDies, SIGSEGV).
 */
import type { QuantDtype } from './dtypes.js';
import { broadcastShapes } from './broadcast.js';
import { QconformError } from './errors.js';
import { type MatmulGeometry, bParamPerColumn, bQuantParamLayout, checkAccumulator, checkOneElement, checkScales, failOrtMatmulK0Param, matmulGeometry, matmulOutputShape, ortMatmulK0ParamDies, quantTensor, zeroPointTensor } from './onnx_matmul_checks.js';
import type { DynamicQuantizeMatMulArgs, MatMulIntegerToFloatArgs } from './onnx_qops.js';
import { type F32Tensor, numel } from './tensor.js';
import { isPresentTensor, validateF32 } from './validate.js';

/** A scale ORT multiplies into the finished output (ScaleOutput): y[x] = f32(data[index(x)] * y[x]). */
export interface OutputScale {
  readonly data: Float32Array;
  readonly index: (x: number) => number;
}

export interface IntegerToFloatGeometry extends MatmulGeometry {
  /**
   * The b side of the GEMM multiplier, f32(a * gemmBScale[c]); null: b_scale scales the output instead (then the
   * multiplier is the a side alone, no multiply)
   */
  readonly gemmBScale: F32Tensor | null;
  /** `bPerColumn` is b_zero_point's; this is gemmBScale's (bParamIndex: column j of a batch reads it at bParamOffset + j, ORT's RightOffsets / K) */
  readonly scalePerColumn: boolean;
  /** MatMulIntegerToFloat's a side of the multiplier (one element, after the swap); null: 1.0 (DynamicQuantizeMatMul computes its own) */
  readonly gemmAScale: F32Tensor | null;
  /** the scales applied to the finished output, in ORT's order */
  readonly outputScales: readonly OutputScale[];
}

/**
 * Whether ORT's ScaleOutput would broadcast `scale` against the output to more elements than the output tensor it writes
 * in place (dynamic_quantize_matmul.cc ScaleOutput: an InputBroadcaster of the scale and the output, an
 * OutputBroadcaster of the output's own size): ORT then indexes past the output's buffer. onnxruntime-node 1.30
 * segfaulted (exit 139) on some (a [5] x b [5] with a_scale [2, 1, 4]; a [3, 2] x b [2, 1] with a_scale [1, 4]) and
 * returned values on others (a_scale [2, 1, 1] for a [1, 1] output; [3] for a [3, 1] one). The contract refuses these
 * (shape_mismatch, as any scale that does not broadcast to the output's shape), and the ORT backend does not run them
 * (conformance/backends/onnxruntime/onnx_qops_ort.ts). Shapes that do not broadcast at all: false (ORT refuses them).
 */
export function scaleOverrunsOutput(scale: readonly number[], out: readonly number[]): boolean {
  try {
    return numel(broadcastShapes('ScaleOutput', { scale, out })) > numel(out);
  } catch {
    return false;
  }
}

/**
 * Whether ScaleOutput would broadcast an empty `scale` against a non-empty output to no element: a dimension of 0 in
 * the scale against a 1 (or a missing dimension) of the output, which ORT's Broadcaster takes ("Can broadcast 0 by 0 or
 * 1"). onnxruntime-node 1.30 died of SIGSEGV on each such scale measured (a_scale [0, 1, 1], b_scale [0, 3] or [0, 1]
 * for a [1, 3] or [3] output: tests/backends/ort_scale_output_empty_scale.test.ts). The contract refuses them
 * (shape_mismatch: the scale does not broadcast to the output's shape).
 */
export function scaleEmptiesOutput(scale: readonly number[], out: readonly number[]): boolean {
  if (numel(out) === 0) return false;
  try {
    return numel(broadcastShapes('ScaleOutput', { scale, out })) === 0;
  } catch {
    return false;
  }
}

/** Why the onnxruntime backend does not run a request that ortScaleOutputDies. */
export const ORT_SCALE_OUTPUT_DIES =
  'a scale ScaleOutput broadcasts past the output (or to no element of a non-empty one): ORT 1.30 indexes past its output buffer (onnxruntime-node 1.30 died of SIGSEGV on such scales)';

/**
 * Whether a MatMulIntegerToFloat / DynamicQuantizeMatMul request may kill ORT 1.30's process (scaleOverrunsOutput or
 * scaleEmptiesOutput for a_scale or b_scale against the matmul's output shape), from the shapes alone, whatever else
 * the request gets wrong.
 */
export function ortScaleOutputDies(a: { a: { shape: readonly number[] }; b: { shape: readonly number[] }; aScale?: { shape: readonly number[] } | null; bScale: { shape: readonly number[] } }): boolean {
  const out = matmulOutputShape(a.a.shape, a.b.shape);
  return out !== null && [a.aScale, a.bScale].some((s) => s != null && (scaleOverrunsOutput(s.shape, out) || scaleEmptiesOutput(s.shape, out)));
}

type Shaped = { readonly shape: readonly number[] };

const isOneElement = (t: Shaped) => t.shape.length <= 1 && numel(t.shape) === 1;

/**
 * MatMulIntegerToFloat::FixupScaleTensor (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): whether ORT 1.30
 * swaps a_scale and b_scale ("a scale and b scale may be switched in fusion stage"): a_scale not of one element and
 * 1-D or not ending in 1, or a one-element a_scale with a b_scale not of one element, of rank > 1, whose dim -2 is not 1.
 */
export function ortSwapsScales(aScale: Shaped, bScale: Shaped): boolean {
  const [ra, rb] = [aScale.shape.length, bScale.shape.length];
  return !isOneElement(aScale) ? ra === 1 || aScale.shape[ra - 1] !== 1 : !isOneElement(bScale) && rb > 1 && bScale.shape[rb - 2] !== 1;
}

/**
 * Whether ComputeCommon (dynamic_quantize_matmul.cc) kills ORT 1.30 with a K = 0 division (ortMatmulK0ParamDies):
 * it hands MatMulComputeHelper b_zero_point's shape whatever it is (IsBQuantParamSupported is ORT_ENFORCEd only after
 * the helper), and `bScale` (after FixupScaleTensor) only where IsBQuantParamSupported takes it (else ScaleOutput
 * applies it, after the GEMM).
 */
function integerToFloatK0Dies(aShape: readonly number[], b: Shaped, bZeroPoint: Shaped | null | undefined, bScale: Shaped): boolean {
  return ortMatmulK0ParamDies(aShape, b.shape, [bZeroPoint, bQuantParamLayout(bScale, b.shape) !== null ? bScale : null]);
}

/**
 * Whether a MatMulIntegerToFloat / DynamicQuantizeMatMul request kills ORT 1.30's process with a K = 0 division
 * (integerToFloatK0Dies; MatMulIntegerToFloat::Compute first swaps the scales, FixupScaleTensor, and ORT_ENFORCEs a
 * one-element a_zero_point), from the shapes alone.
 */
export function ortIntegerToFloatK0Dies(a: { a: Shaped; b: Shaped; aScale?: Shaped | null; bScale: Shaped; aZeroPoint?: Shaped | null; bZeroPoint: Shaped | null }): boolean {
  if (a.aZeroPoint != null && !isOneElement(a.aZeroPoint)) return false;
  const bScale = a.aScale != null && ortSwapsScales(a.aScale, a.bScale) ? a.aScale : a.bScale;
  return integerToFloatK0Dies(a.a.shape, a.b, a.bZeroPoint, bScale);
}

/**
 * ScaleOutput's broadcast of `scale` to the output's shape (numpy rules, the output's shape unchanged). Leading
 * dimensions of 1 beyond the output's rank are dropped: the broadcast then has the output's elements in the output's
 * order, and ORT 1.30 returns the output's shape (probed with onnxruntime-node 1.30: a [1, 3] x b [3, 1] with a_scale
 * [1, 1, 1] gives a [1, 1] output, a_scale [1, 1, 4] on a [2, 4] output the values of a_scale [4]). Extra leading
 * dimensions larger than 1 are refused (scaleOverrunsOutput says which of those ORT would crash on), except on an
 * empty output (emptyOutputScale).
 */
function outputScale(what: string, scale: F32Tensor, outShape: readonly number[]): OutputScale {
  if (numel(outShape) === 0) return emptyOutputScale(what, scale, outShape);
  const extra = Math.max(0, scale.shape.length - outShape.length);
  const s = scale.shape.slice(extra);
  const ok = scale.shape.slice(0, extra).every((d) => d === 1) && s.every((d, i) => d === 1 || d === outShape[outShape.length - s.length + i]);
  if (!ok) {
    const why = scaleOverrunsOutput(scale.shape, outShape)
      ? ': this one broadcasts to more elements than the output has, so ORT 1.30 indexes past its output buffer (onnxruntime-node 1.30 segfaulted on such scales)'
      : scaleEmptiesOutput(scale.shape, outShape)
        ? ': this empty one broadcasts to no element of the output (onnxruntime-node 1.30 segfaulted on such scales)'
        : '';
    throw new QconformError('shape_mismatch', what, { scale: scale.shape, output: outShape }, `a scale ORT multiplies into the output (ScaleOutput) broadcasts to the output's shape, extra leading dimensions all 1${why}`);
  }
  const strides: number[] = [];
  for (let i = s.length - 1, stride = 1; i >= 0; i--) {
    strides[i] = s[i] === 1 ? 0 : stride;
    stride *= s[i] as number;
  }
  const dims = outShape.slice(outShape.length - s.length);
  return {
    data: scale.data,
    index: (x) => {
      let rest = x;
      let at = 0;
      for (let i = dims.length - 1; i >= 0; i--) {
        at += (rest % (dims[i] as number)) * (strides[i] as number);
        rest = Math.floor(rest / (dims[i] as number));
      }
      return at;
    },
  };
}

/**
 * A scale ScaleOutput multiplies into an empty output (M = 0, N = 0 or an empty batch dim). ORT 1.30's ComputeCommon
 * returns before the GEMM when the output is empty ("Bail out early if the output is going to be empty"), but
 * DynamicQuantizeMatMul::Compute / MatMulIntegerToFloat::Compute still call ScaleOutput on it
 * (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): its InputBroadcaster refuses a scale whose shape does not
 * broadcast against the output's (numpy rules: a dim of 0 takes 1 or 0, not 2), and with one that does, the broadcast
 * has no element (a 0 dim stays 0), so nothing is read or written and ORT returns the empty output in the matmul's
 * shape, whatever leading dimensions the scale adds (nothing is indexed past the output: scaleOverrunsOutput is false).
 * Measured live with onnxruntime-node 1.30 on both ops (tests/backends/ort_empty_output_scales.test.ts). A scale that
 * does not broadcast: shape_mismatch, as ORT refuses it.
 */
function emptyOutputScale(what: string, scale: F32Tensor, outShape: readonly number[]): OutputScale {
  try {
    broadcastShapes(what, { scale: scale.shape, output: outShape });
  } catch {
    throw new QconformError('shape_mismatch', what, { scale: scale.shape, output: outShape }, "on an empty output, a scale ORT multiplies into the output (ScaleOutput) broadcasts against the output's shape (numpy rules: a dim of 0 takes 1 or 0); ORT 1.30 refuses this one");
  }
  return { data: scale.data, index: () => 0 };
}

/** The output scale of a column, f32(a_scale * b_scale[c]), must be finite (it is NaN times a zero accumulator otherwise). */
export function checkOutputScale(what: string, multiplier: number): void {
  if (!Number.isFinite(multiplier)) {
    throw new QconformError('scale_not_finite', `${what}: a_scale * b_scale`, multiplier, "the float32 product of the scales overflows: ORT's output would be NaN (0 * inf) where the accumulator is 0");
  }
}

/**
 * b, its zero point and the bias, with a (of `aShape`, `aDtype`), and the scales' roles: `aScale` (one element, or
 * null: 1.0) and `bScale` (into the multiplier when IsBQuantParamSupported takes it), then `outputFirst` (a scale
 * that goes to the output whatever b_scale's shape).
 */
function checkCommon(
  what: string,
  aShape: readonly number[],
  aDtype: QuantDtype,
  a: Pick<MatMulIntegerToFloatArgs, 'b' | 'bZeroPoint' | 'bias' | 'accumulator'>,
  scales: { aScale: F32Tensor | null; bScale: F32Tensor; bName: string; outputFirst: { scale: F32Tensor; name: string } | null },
): IntegerToFloatGeometry {
  const bDtype = quantTensor(`${what}: b`, a.b);
  if (aDtype === 'qint8' && bDtype === 'quint8') throw new QconformError('invalid_dtype', `${what}: b.dtype`, bDtype, 'ORT 1.30 registers an int8 a with an int8 b only (u8 x u8, u8 x s8, s8 x s8)');
  checkAccumulator(what, a.accumulator, aDtype, bDtype);
  if (isPresentTensor(`${what}: b_zero_point`, a.bZeroPoint)) {
    zeroPointTensor(`${what}: b_zero_point`, a.bZeroPoint, bDtype);
  }
  // before b_zero_point's shape is checked: ORT's helper divides by K = 0 before it checks that shape
  if (integerToFloatK0Dies(aShape, a.b, a.bZeroPoint, scales.bScale)) failOrtMatmulK0Param(what, aShape, a.b.shape);
  if (a.bZeroPoint !== null) bParamPerColumn(`${what}: b_zero_point`, a.bZeroPoint, a.b.shape); // named here; matmulGeometry repeats it for the geometry
  const g = matmulGeometry(what, { shape: aShape }, a.b, a.bZeroPoint);
  if (isPresentTensor(`${what}: bias`, a.bias)) {
    if (a.bias.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: bias.dtype`, a.bias.dtype, 'bias is float32');
    validateF32(`${what}: bias`, a.bias);
    if (numel(a.bias.shape) !== g.n) throw new QconformError('shape_mismatch', `${what}: bias`, { bias: a.bias.shape, n: g.n }, "bias has N elements, b's last dimension (ORT 1.30 ComputeCommon)");
    a.bias.data.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new QconformError('bias_not_finite', `${what}: bias[${i}]`, v);
    });
  }
  const layout = bQuantParamLayout(scales.bScale, a.b.shape);
  const outputScales: OutputScale[] = [];
  if (scales.outputFirst) outputScales.push(outputScale(`${what}: ${scales.outputFirst.name}`, scales.outputFirst.scale, g.outShape));
  if (!layout) outputScales.push(outputScale(`${what}: ${scales.bName}`, scales.bScale, g.outShape));
  return { ...g, aDtype, bDtype, gemmBScale: layout ? scales.bScale : null, scalePerColumn: layout === 'column', gemmAScale: scales.aScale, outputScales };
}

export function checkMatMulIntegerToFloat(a: MatMulIntegerToFloatArgs): IntegerToFloatGeometry {
  const what = 'matmul_integer_to_float';
  const aDtype = quantTensor(`${what}: a`, a.a);
  checkScales(`${what}: a_scale`, a.aScale);
  checkScales(`${what}: b_scale`, a.bScale);
  if (isPresentTensor(`${what}: a_zero_point`, a.aZeroPoint)) {
    zeroPointTensor(`${what}: a_zero_point`, a.aZeroPoint, aDtype);
    checkOneElement(`${what}: a_zero_point`, a.aZeroPoint);
  }
  // FixupScaleTensor: "a scale and b scale may be switched in fusion stage because of lack of shape information"
  let [sa, sb, na, nb] = [a.aScale, a.bScale, 'a_scale', 'b_scale'];
  if (ortSwapsScales(sa, sb)) [sa, sb, na, nb] = [sb, sa, nb, na];
  const aScalar = isOneElement(sa);
  const g = checkCommon(what, a.a.shape, aDtype, a, { aScale: aScalar ? sa : null, bScale: sb, bName: nb, outputFirst: aScalar ? null : { scale: sa, name: na } });
  const aSide = aScalar ? (sa.data[0] as number) : 1;
  if (g.gemmBScale) g.gemmBScale.data.forEach((s) => checkOutputScale(what, Math.fround(aSide * s)));
  return g;
}

/** DynamicQuantizeMatMul; the output scale needs a's computed scale, so the ops check it with checkOutputScale. */
export function checkDynamicQuantizeMatMul(a: DynamicQuantizeMatMulArgs): IntegerToFloatGeometry {
  const what = 'dynamic_quantize_matmul';
  if ((a.a as { dtype: string }).dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: a.dtype`, (a.a as { dtype: string }).dtype, 'a is float32');
  validateF32(`${what}: a`, a.a as F32Tensor);
  const k = a.a.data.findIndex((v) => Number.isNaN(v));
  if (k >= 0) throw new QconformError('nan_input', `${what}: a[${k}]`, Number.NaN, "a is quantized as DynamicQuantizeLinear does: ORT's MlasFindMinMaxElement result then depends on the vector lane holding the NaN");
  checkScales(`${what}: b_scale`, a.bScale);
  return checkCommon(what, a.a.shape, 'quint8', a, { aScale: null, bScale: a.bScale, bName: 'b_scale', outputFirst: null });
}
