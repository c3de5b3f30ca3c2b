import type { SumLaneWidth } from '../../../contract/ops.js';
import { f32Add, f32Div, f32Mul, f32Sub, f64Div, f64Mul, f64Sub, ieeeNeg, intToF32, intToF64, toF32 } from '../../exact/float_arith.js';
import { type MinMaxRule, ieeeEqual, ieeeMax, ieeeMin } from '../../exact/ieee_compare.js';
import { type IeeeValue, finite } from '../../exact/ieee_value.js';
import { Rational } from '../../exact/rational.js';
import { HALF_F32, ONE_F32, ZERO_F32 } from '../../constants.js';
import { floorDivF32 } from './floor_div.js';
import { torchSumF32 } from './torch_sum.js';

const THREE_F32 = finite(Rational.fromInt(3));
const TWO_F64 = finite(Rational.fromInt(2));

/** torch.clamp(x, lo, hi) on float32: min(max(x, lo), hi); x survives a tie (minps/maxps and std::min/max both keep it); NaN propagates. */
const CLAMP_RULE: MinMaxRule = { tie: 'first', nan: 'propagate' };
/** torch.clamp(x, lo, hi) on float32 tensors (CLAMP_RULE above): comparisons only, exact. */
function clampF32(x: IeeeValue, lo: IeeeValue, hi: IeeeValue): IeeeValue {
  return ieeeMin(ieeeMax(x, lo, CLAMP_RULE), hi, CLAMP_RULE);
}

/** x ** 3 as _get_norm writes it, x * x * x in float32: two roundings. */
const cube = (x: IeeeValue) => f32Mul(f32Mul(x, x), x);

/**
 * HistogramObserver._get_norm (observer.py l.950): density * (de^3 - db^3) / 3, each a float32 tensor op:
 * f32(density * f32(f32(f32(f32(de * de) * de) - f32(f32(db * db) * db)) / 3)).
 */
export function normTerm(deltaBegin: IeeeValue, deltaEnd: IeeeValue, density: IeeeValue): IeeeValue {
  return f32Mul(density, f32Div(f32Sub(cube(deltaEnd), cube(deltaBegin)), THREE_F32));
}

export interface ErrorModel {
  /** The observer's histogram (float32) and its min_val / max_val buffers (float32). */
  readonly histogram: readonly IeeeValue[];
  readonly minVal: IeeeValue;
  readonly maxVal: IeeeValue;
  /** dst_nbins: 256, or 2^32 for qint32. */
  readonly dstBins: number;
  readonly lanes: SumLaneWidth;
}

/**
 * HistogramObserver._compute_quantization_error(s, e) (observer.py l.964; unchanged in 2.x): the L2 error
 * of quantizing bins s..e into dst_nbins levels. Domains: Python doubles where marked d, float32 tensor ops
 * elsewhere (a Python float meeting a float32 tensor is cast to float32; torch.tensor(d) is float32):
 *   bw(d) = f64(f64(max - min) / bins);  dbw(d) = f64(f64(bw * (e - s + 1)) / dst_nbins);  dbw == 0: return 0.0
 *   sb = f32(f32(i - s) * f32(bw));  se = f32(sb + f32(bw))
 *   dob = clamp(floordiv(sb, f32(dbw)), 0, dst_nbins - 1);  dobc = f32(f32(dob + 0.5) * f32(dbw))
 *   doe = clamp(floordiv(se, f32(dbw)), 0, dst_nbins - 1);  doec = f32(f32(doe * f32(dbw)) + f32(dbw / 2))
 *   density = f32(h[i] / f32(bw))
 *   norm = 0 + N(f32(sb - dobc), f32(1 * f32(dbw / 2)), density)
 *   norm = f32(norm + f32(f32(f32(doe - dob) - 1) * N(f32(-dbw / 2), f32(dbw / 2), density)))  the middle N on 0-dim tensors
 *   norm = f32(norm + N(f32(-dbw / 2), f32(se - doec), density))
 *   return (double) torch.sum(norm)   (torchSumF32: the cascade order of the declared lane width)
 * An empty bin's norm is +0 whenever emptyBinNormsAreZero holds, and is then not computed step by step (skipEmptyBins;
 * false computes every bin, for the test that compares both).
 */
export function quantizationError(model: ErrorModel, startBin: number, endBin: number, skipEmptyBins = true): IeeeValue {
  const bins = model.histogram.length;
  const binWidthD = f64Div(f64Sub(model.maxVal, model.minVal), intToF64(BigInt(bins))); // .item() - .item(): doubles
  const dstWidthD = f64Div(f64Mul(binWidthD, intToF64(BigInt(endBin - startBin + 1))), intToF64(BigInt(model.dstBins)));
  if (ieeeEqual(dstWidthD, ZERO_F32)) return ZERO_F32; // Python 0.0
  const binWidth = toF32(binWidthD);
  const dstWidth = toF32(dstWidthD);
  const halfDst = toF32(f64Div(dstWidthD, TWO_F64)); // dst_bin_width / 2 -> float32
  const negHalfDst = toF32(f64Div(ieeeNeg(dstWidthD), TWO_F64)); // torch.tensor(-dst_bin_width / 2)
  const lastDstBin = intToF32(BigInt(model.dstBins - 1)); // clamp's max: f32(2^32 - 1) = 2^32 for qint32
  const middleNorm = f32Div(f32Sub(cube(halfDst), cube(negHalfDst)), THREE_F32); // _get_norm on the 0-dim tensors
  const emptyBinsAreZero = skipEmptyBins && emptyBinNormsAreZero(model, binWidth, dstWidth);
  const norms = model.histogram.map((h, i) => {
    if (emptyBinsAreZero && h.kind === 'finite' && h.value.isZero()) return ZERO_F32; // emptyBinNormsAreZero below
    const srcBegin = f32Mul(intToF32(BigInt(i - startBin)), binWidth);
    const srcEnd = f32Add(srcBegin, binWidth);
    const dstOfBegin = clampF32(floorDivF32(srcBegin, dstWidth), ZERO_F32, lastDstBin);
    const dstOfBeginCenter = f32Mul(f32Add(dstOfBegin, HALF_F32), dstWidth);
    const dstOfEnd = clampF32(floorDivF32(srcEnd, dstWidth), ZERO_F32, lastDstBin);
    const density = f32Div(h, binWidth);
    let norm = f32Add(ZERO_F32, normTerm(f32Sub(srcBegin, dstOfBeginCenter), f32Mul(ONE_F32, halfDst), density));
    norm = f32Add(norm, f32Mul(f32Sub(f32Sub(dstOfEnd, dstOfBegin), ONE_F32), f32Mul(density, middleNorm)));
    const dstOfEndCenter = f32Add(f32Mul(dstOfEnd, dstWidth), halfDst);
    return f32Add(norm, normTerm(negHalfDst, f32Sub(srcEnd, dstOfEndCenter), density));
  });
  return torchSumF32(norms, model.lanes); // float32 -> .item() double: exact
}

/** 2^30: a histogram range below it keeps every cube of _get_norm far below float32's overflow. */
const RANGE_BOUND = Rational.pow2(30);

/**
 * Whether every bin with h = +-0 has norm +0 in quantizationError, so that it need not be computed. Such a bin has
 * density = f32(+-0 / bin_width) = +-0 when bin_width > 0, so each of its three terms is +-0 times a float32 value,
 * which is +-0 when that value is finite; then 0 + (+-0) = +0 and +0 + (+-0) = +0 (roundTiesToEven: an exact zero sum is -0
 * only when both addends are -0). The values are finite when min and max are, bin_width and dst_bin_width are above 0
 * in float32 (no x / 0), and max - min < 2^30: |src_bin_begin| and |src_bin_end| are at most about max - min, the
 * centers at most about max - min + dst_bin_width, dst_bin_width * dst_nbins at most about max - min (end - start + 1
 * <= bins), so every delta is below 2^31.1 and its cube below 2^94, the differences of cubes below 2^95: no overflow,
 * no inf - inf. Outside these bounds (a NaN or infinite bin, a zero width, a huge range) every bin is computed.
 */
function emptyBinNormsAreZero(model: ErrorModel, binWidth: IeeeValue, dstWidth: IeeeValue): boolean {
  const positive = (v: IeeeValue) => v.kind === 'finite' && v.value.sign() > 0;
  if (model.minVal.kind !== 'finite' || model.maxVal.kind !== 'finite' || !positive(binWidth) || !positive(dstWidth)) return false;
  return model.maxVal.value.sub(model.minVal.value).abs().lt(RANGE_BOUND);
}
