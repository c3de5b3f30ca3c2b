/**
 * xnnpack-fp32@1: XNNPACK fp32 requantization (qs8 everywhere, qu8 on x86), the reference of every fp32
 * micro-kernel flavour (fmagic, imagic, lrintf, SSE/AVX). Sources (requantization-schemes.md §8a):
 * src/xnnpack/requantization.h xnn_qs8_requantize_fp32 / xnn_qu8_requantize_fp32.
 */
import { f32Mul, intToF32 } from '../exact/float_arith.js';
import { type IeeeValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { cvtps2dq } from '../exact/x86_conversions.js';
import { clampFloat } from './float_clamp.js';
import { int32Add } from './int32_add.js';
import type { ChannelQuant, Int32Policy, RequantRef } from './types.js';
import { xnnpackScale } from './xnnpack_scale.js';

export interface XnnpackFp32Params {
  readonly scale: IeeeValue;
  readonly bias: bigint;
  readonly lo: IeeeValue;
  readonly hi: IeeeValue;
  readonly zeroPoint: bigint;
}

function prepare(c: ChannelQuant): XnnpackFp32Params {
  const fromInt = (n: bigint) => finite(Rational.fromInt(n));
  return { scale: xnnpackScale(c), bias: c.bias?.kind === 'int32' ? c.bias.value : 0n, lo: fromInt(c.outMin - c.yZeroPoint), hi: fromInt(c.outMax - c.yZeroPoint), zeroPoint: c.yZeroPoint };
}

/** v = f32((float)acc * scale); v = clamp(v, qmin - zp, qmax - zp) in float (before rounding); lrintf(v) + zp. */
function requantize(acc: bigint, p: XnnpackFp32Params, policy: Int32Policy): bigint {
  const v = f32Mul(intToF32(int32Add(acc, p.bias, policy)), p.scale);
  return cvtps2dq(clampFloat(v, p.lo, p.hi)) + p.zeroPoint;
}

export const xnnpackFp32: RequantRef<XnnpackFp32Params> = { prepare, requantize };
