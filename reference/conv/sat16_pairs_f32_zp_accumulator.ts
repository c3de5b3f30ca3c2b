/**
 * contract/conv.ts `sat16_pairs_f32_zp`: oneDNN v2.6.3 jit_uni_x8s8s32x_1x1 (avx2/sse41) as run by torch
 * 1.13.1 onednn on x86 without VNNI. The saturated pair sum S is the vpmaddubsw one (sat16_pairs_accumulator.ts,
 * src/cpu/x64/jit_uni_x8s8s32x_1x1_conv_kernel.cpp reduce_loop: vpmaddubsw, vpmaddwd with ones, vpaddd);
 * the input zero point's compensation comp = -z * sum of all the channel's weights (the weight reorder's
 * req_asymmetric_comp, src/cpu/x64/jit_uni_reorder.cpp, times z with vpmulld) is converted to float32 and added
 * to the converted S in float32 (reduce_loop's store: cvtdq2ps "upscale to f32", vaddps):
 *   acc = f32( f32(int32(S)) + f32(int32(comp)) )
 * Domains: S and comp are int32 (two's complement wrap, as vpaddd / vpmulld); the conversions and the sum are
 * float32 (roundToFormat, half to even). The result is an integer that float32 holds exactly, returned as a
 * bigint and NOT wrapped to int32 (the kernel never converts it back): the torch-onednn@1 epilogue's
 * f32(acc) gives the same float. The contract (contract/conv_accumulators.ts) restricts this model to
 * torch-onednn@1 (quint8 activations, zero weight zero points) and the 1x1 kernel's geometries, where every
 * tap is valid, so sum w over the valid taps is the sum of all the channel's weights.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { f32Add, intToF32 } from '../exact/float_arith.js';
import { exactValue } from '../exact/ieee_value.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { sat16PairsTerms } from './sat16_pairs_accumulator.js';
import type { Tap } from './window.js';

/** The `sat16_pairs_f32_zp` accumulator: f32(f32(int32 S) + f32(int32 comp)) of jit_uni_x8s8s32x_1x1's reduce_loop, returned as the exact integer it is. */
export function sat16PairsF32ZpAccumulator(a: Conv2dArgs, g: ConvGeometry, oc: number, taps: readonly Tap[]): bigint {
  const { s, sumW, zxu } = sat16PairsTerms(a, g, oc, taps);
  const d = f32Add(intToF32(wrapInt32(s)), intToF32(wrapInt32(-zxu * sumW)));
  const value = exactValue(d); // a sum of two float32 integers rounded to float32: an integer
  if (value.den !== 1n) throw new RangeError(`sat16PairsF32ZpAccumulator: ${value} is not an integer`);
  return value.num;
}
