/**
 * xnnpack-fp32@1: XNNPACK fp32 requantization (qs8 everywhere, qu8 on x86), the reference of every fp32
 * micro-kernel flavour (fmagic, imagic, lrintf, SSE/AVX). Sources (requantization-schemes.md §8a):
 * src/xnnpack/requantization.h xnn_qs8_requantize_fp32 / xnn_qu8_requantize_fp32:
 * v = f32((float)acc * scale); v = clamp(v, qmin - zp, qmax - zp) in float (before rounding); lrintf(v) + zp.
 * The same epilogue as ORT's MlasRequantizeOutput (onnxruntime.ts); only the scale differs (xnnpack_scale.ts).
 */
import { type FloatScaleParams, floatScaleParams, floatScaleRequantize } from './onnxruntime.js';
import type { RequantRef } from './types.js';
import { xnnpackScale } from './xnnpack_scale.js';

export const xnnpackFp32: RequantRef<FloatScaleParams> = { prepare: (c) => floatScaleParams(c, xnnpackScale(c, 'xnnpack-fp32@1')), requantize: floatScaleRequantize };
