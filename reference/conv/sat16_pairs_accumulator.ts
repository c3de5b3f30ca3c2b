/**
 * The accumulator of x86 int8 kernels without AVX512-VNNI (oneDNN jit:avx2 / avx512_core for groups == 1,
 * ONNX Runtime's u8s8 AVX2 path, FBGEMM): vpmaddubsw multiplies unsigned 8-bit activations by signed 8-bit
 * weights and adds adjacent pairs with int16 saturation (oneDNN doc/advanced/int8_computations.md,
 * pytorch-1.13-semantics.md §4.2). Modelled, for one output position:
 *   S   = sum over valid taps and input-channel pairs (2k, 2k+1) of sat16(xu[2k] w[2k] + xu[2k+1] w[2k+1])
 *         (an odd last channel is a pair with a zero partner)
 *   acc = S - z_xu * sum w - z_w * sum xu + N * z_xu * z_w      (zero-point terms exact; N valid products)
 * where xu is the unsigned operand: x for quint8, x + 128 for qint8 (oneDNN's s8s8 shift; z_xu shifts alike).
 * Padded taps are skipped (they contribute 0, as the exact model). Exact integer domain (bigint).
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { saturateInt16 } from '../requant/output.js';
import type { Tap } from './window.js';

/** The parts of one output's sat16 accumulator, before the zero-point terms are combined. */
export interface Sat16PairsTerms {
  /** the saturated pair sum S */
  readonly s: bigint;
  /** sum of the weights and of the unsigned activations over the valid taps, and their count N */
  readonly sumW: bigint;
  readonly sumX: bigint;
  readonly count: bigint;
  /** the unsigned operand's zero point z_xu and the channel's weight zero point z_w */
  readonly zxu: bigint;
  readonly zw: bigint;
}

/** S and the zero-point sums of one output position (vpmaddubsw's pairs in the K order of windowTaps), exact bigint with each pair saturated to int16. */
export function sat16PairsTerms(a: Conv2dArgs, g: ConvGeometry, oc: number, taps: readonly Tap[]): Sat16PairsTerms {
  const shift = g.dtype === 'qint8' ? 128n : 0n;
  const zxu = BigInt(a.xZeroPoint) + shift;
  const zw = BigInt(a.weightZeroPoints.data[g.perChannel ? oc : 0] as number);
  let s = 0n;
  let sumW = 0n;
  let sumX = 0n;
  let count = 0n;
  let pair = 0n;
  taps.forEach((t, i) => {
    if (t.xIndex >= 0) {
      const xu = BigInt(a.x.data[t.xIndex] as number) + shift;
      const w = BigInt(a.weight.data[t.wIndex] as number);
      pair += xu * w;
      sumW += w;
      sumX += xu;
      count += 1n;
    }
    const next = taps[i + 1];
    if (t.icg % 2 === 1 || !next || next.icg === 0) {
      s += saturateInt16(pair); // the pair (2k, 2k+1) ends here
      pair = 0n;
    }
  });
  return { s, sumW, sumX, count, zxu, zw };
}

/** The `sat16_pairs` accumulator: S - z_xu sum w - z_w sum xu + N z_xu z_w, exact bigint (wrapped to int32 by the caller). */
export function sat16PairsAccumulator(a: Conv2dArgs, g: ConvGeometry, oc: number, taps: readonly Tap[]): bigint {
  const { s, sumW, sumX, count, zxu, zw } = sat16PairsTerms(a, g, oc, taps);
  return s - zxu * sumW - zw * sumX + count * zxu * zw;
}
