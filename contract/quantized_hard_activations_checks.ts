/**
 * The contract check of quantized_hardswish@1 and quantized_hardsigmoid@1 (contract/quantized_hard_activations.ts), run
 * once by reference/ and impl/: x's dtype, shape and values, the scales and zero points, the capability, memory format
 * and thread count; returns the dtype and which elements take the vector form.
 */
import { checkAtenElementwise } from './aten_vectorized_loop.js';
import { QconformError } from './errors.js';
import type { QuantizedHardsigmoidAttrs, QuantizedHardswishAttrs } from './quantized_hard_activations.js';
import type { IntTensor } from './tensor.js';
import { validateDtypeZeroPoint, validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface HardActivationGeometry {
  readonly dtype: 'quint8' | 'qint8';
  /** per logical element: 1 vector form, 0 scalar form */
  readonly vectorForm: Uint8Array;
}

/** What both ops check: x (quint8 or qint8, any shape, values in range), its qparams and the kernel's attributes. */
function checkHardActivationInput(what: string, x: IntTensor, attrs: QuantizedHardsigmoidAttrs): HardActivationGeometry {
  const dtype = x.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, dtype, 'quint8 or qint8 (a qint32 tensor is not modelled)');
  validateShape(`${what}: x`, x);
  validateQuantizedValues(`${what}: x`, x.data, dtype);
  validateScale(`${what}: x_scale`, attrs.xScale);
  validateDtypeZeroPoint(`${what}: x_zero_point`, attrs.xZeroPoint, dtype);
  return { dtype, vectorForm: checkAtenElementwise(what, x.shape, attrs) };
}

export function checkQuantizedHardsigmoid(x: IntTensor, attrs: QuantizedHardsigmoidAttrs): HardActivationGeometry {
  return checkHardActivationInput('quantized_hardsigmoid', x, attrs);
}

/** Also the output's scale and zero point (in x's dtype range: the output has x's dtype). */
export function checkQuantizedHardswish(x: IntTensor, attrs: QuantizedHardswishAttrs): HardActivationGeometry {
  const what = 'quantized_hardswish';
  const g = checkHardActivationInput(what, x, attrs);
  validateScale(`${what}: scale`, attrs.scale);
  validateDtypeZeroPoint(`${what}: zero_point`, attrs.zeroPoint, g.dtype);
  return g;
}
