/** xnnpack-fp32@1, fast twin of reference/requant/xnnpack_fp32.ts (xnn_qs8/qu8_requantize_fp32). */
import { type FloatScaleParamsF, floatScaleParams, floatScaleRequantize } from './onnxruntime.js';
import type { RequantImpl } from './types.js';
import { xnnpackScale } from './xnnpack_scale.js';

/** Same epilogue as ORT's (f32 product, float clamp before rounding, RNE, + zp); only the scale differs. */
export const requant__xnnpack_fp32: RequantImpl<FloatScaleParamsF> = { prepare: (c) => floatScaleParams(c, xnnpackScale(c, 'xnnpack-fp32@1')), requantize: floatScaleRequantize };
