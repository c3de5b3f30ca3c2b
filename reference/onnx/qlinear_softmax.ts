/**
 * qlinear_softmax@1, exact reference: com.microsoft QLinearSoftmax as onnxruntime 1.30 computes it
 * (contrib_ops/cpu/quantization/qlinear_softmax.cc, EXP_OUT_DTYPE = float). The exp table
 * (QlinearBuildLookupTableUint32), for the reduce length D and x_scale s:
 *   q    = f32(FLT_MAX / f32(D))                            float32 division
 *   L    = log(q)                                           double (glibc; here the correctly rounded value)
 *   b    = f64(max(0, f64(L - 5)) / s)                      double
 *   t[i] = f32(exp(f64(f64(i - 255 + b) * s)))              double exp (here the exact value), one rounding to float32
 * The contract (contract/qlinear_softmax_checks.ts) admits only requests where any faithful log and exp give these
 * same float32 values, so the correctly rounded ones here are glibc's too. Each row (QlinearSoftmaxCPU, the row
 * along `axis`; opset < 13: the flattened dimensions from `axis` on), with m its maximum and Y = floorf(f32(1 / y_scale)):
 *   v_k  = t[255 - m + x_k]                 uint8: the table shifted by 255 - m; int8: indexed by uint8(127 - m + x_k)
 *   sum  = f32(... f32(f32(v_0) + v_1) ... + v_{D-1})      float32, left to right
 *   r_k  = nearbyintf(f32(f32(v_k * Y) / sum))              half to even, an integer in [0, Y + 1]
 *   y_k  = min(qmax, r_k + z_y)                              (r_k >= 0, so never below qmin; ORT 1.30 has the int8
 *                                                            saturation fix of onnxruntime#29728: 1.2x wrapped 128..255)
 */
import type { QLinearSoftmaxArgs } from '../../contract/onnx_qops.js';
import { checkQLinearSoftmax } from '../../contract/qlinear_softmax_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Div, f32Mul, f64Add, f64Div, f64Mul, f64Sub, intToF32, intToF64 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { ieeeLess } from '../exact/ieee_compare.js';
import { BINARY32, BINARY64, type IeeeValue, exactValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { roundToFormat } from '../exact/round_to_format.js';
import { expInterval, logInterval } from '../exact/transcendental.js';
import { nearbyint } from '../exact/x86_conversions.js';

const FLT_MAX = roundToFormat(Rational.pow2(128).sub(Rational.pow2(104)), BINARY32);

/** The rounding of an exact interval's value to `fmt`, which must be decided (both ends round alike). */
function decidedRounding(lo: Rational, hi: Rational, fmt: typeof BINARY32, what: string): IeeeValue {
  const [a, b] = [roundToFormat(lo, fmt), roundToFormat(hi, fmt)];
  if (a.kind !== 'finite' || b.kind !== 'finite' || !a.value.eq(b.value)) throw new RangeError(`qlinear_softmax reference: ${what} is not decided at 2^-216`);
  return a;
}

/** QlinearBuildLookupTableUint32's float32 table, entry i for the byte distance 255 - i below the row maximum. */
export function softmaxExpTable(reduceLength: number, xScale: number): IeeeValue[] {
  const q = f32Div(FLT_MAX, intToF32(BigInt(reduceLength)));
  const log = logInterval(exactValue(q));
  const l = decidedRounding(log.lo, log.hi, BINARY64, 'log(FLT_MAX / D) in double');
  const s = fromFloat32(xScale);
  const reduced = f64Sub(l, intToF64(5n));
  const b = f64Div(ieeeLess(reduced, finite(Rational.ZERO)) ? finite(Rational.ZERO) : reduced, s);
  return Array.from({ length: 256 }, (_, i) => {
    const arg = exactValue(f64Mul(f64Add(intToF64(BigInt(i - 255)), b), s));
    const e = expInterval(arg);
    return decidedRounding(e.lo, e.hi, BINARY32, `exp table entry ${i}`);
  });
}

/** QLinearSoftmax::Compute (contrib_ops/cpu/quantization/qlinear_softmax.cc), as above: the exp table (correctly rounded double log and exp, decided to float32), then each row's integer-indexed sums and float32 steps rounded via reference/exact. */
export function qlinearSoftmax(a: QLinearSoftmaxArgs): IntTensor {
  const g = checkQLinearSoftmax('qlinear_softmax', a);
  const table = softmaxExpTable(g.reduceLength, a.xScale.data[0] as number);
  const yScale = intToF32(BigInt(g.yScaleFloor));
  const x = a.x.data;
  const y = new Int32Array(x.length);
  const { reduceLength: d, stride } = g;
  for (let r = 0; r < g.rows; r++) {
    const start = g.rowStart(r);
    const index = (k: number) => start + k * stride;
    let m = -Infinity;
    for (let k = 0; k < d; k++) m = Math.max(m, x[index(k)] as number);
    const entry = (k: number) => table[255 - m + (x[index(k)] as number)]!;
    let sum: IeeeValue = finite(Rational.ZERO);
    for (let k = 0; k < d; k++) sum = f32Add(sum, entry(k));
    for (let k = 0; k < d; k++) {
      const rk = exactValue(nearbyint(f32Div(f32Mul(entry(k), yScale), sum))).floor();
      const v = rk + BigInt(g.yZeroPoint);
      const qmax = g.dtype === 'quint8' ? 255n : 127n;
      y[index(k)] = Number(v > qmax ? qmax : v);
    }
  }
  return intTensor(g.dtype, a.x.shape, y);
}
