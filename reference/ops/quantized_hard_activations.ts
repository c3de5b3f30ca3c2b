/**
 * quantized_hardswish@1 and quantized_hardsigmoid@1, exact reference: torch 1.13.1's qhardswish_kernel and
 * qhardsigmoid_kernel (aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp) on the fbgemm, onednn and x86
 * engines; contract/quantized_hard_activations.ts says where the two forms part. The loop: ./aten_quantized_unary.ts.
 */
import { hardsigmoidOutputQparams, type QuantizedHardsigmoidAttrs, type QuantizedHardswishAttrs } from '../../contract/quantized_hard_activations.js';
import { checkQuantizedHardsigmoid, checkQuantizedHardswish } from '../../contract/quantized_hard_activations_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { ZERO_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, intToF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { type FloatMinMax, atenQuantizedUnary, unaryOutput } from './aten_quantized_unary.js';

const THREE_F32 = intToF32(3n);
const SIX_F32 = intToF32(6n);

/** min(max(f32(d + 3), 0), 6): both functions' clamp, float32. */
function shiftedRelu6(d: IeeeValue, mm: FloatMinMax): IeeeValue {
  return mm.min(mm.max(f32Add(d, THREE_F32), ZERO_F32), SIX_F32);
}

/**
 * quantized::hardswish(x, scale, zero_point): y = f32(f32(d * shiftedRelu6(d)) / 6) (C++ `x * min(...) / 6`, left to
 * right), quantized to (scale, zero_point); the vector form's reciprocal is f32(1.0 / scale) in double.
 */
export function quantizedHardswish(x: IntTensor, attrs: QuantizedHardswishAttrs): IntTensor {
  const g = checkQuantizedHardswish(x, attrs);
  const output = unaryOutput(attrs.scale, attrs.zeroPoint, g.dtype);
  return atenQuantizedUnary(x, g, { scale: attrs.xScale, zeroPoint: attrs.xZeroPoint }, output, (d, mm) => f32Div(f32Mul(d, shiftedRelu6(d, mm)), SIX_F32));
}

/** hardsigmoid on a quantized tensor: y = f32(shiftedRelu6(d) / 6), quantized to hardsigmoidOutputQparams (inverse 256 in both forms). */
export function quantizedHardsigmoid(x: IntTensor, attrs: QuantizedHardsigmoidAttrs): IntTensor {
  const g = checkQuantizedHardsigmoid(x, attrs);
  const out = hardsigmoidOutputQparams(g.dtype);
  const output = unaryOutput(out.scale, out.zeroPoint, g.dtype);
  return atenQuantizedUnary(x, g, { scale: attrs.xScale, zeroPoint: attrs.xZeroPoint }, output, (d, mm) => f32Div(shiftedRelu6(d, mm), SIX_F32));
}
