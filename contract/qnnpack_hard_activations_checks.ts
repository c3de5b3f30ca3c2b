/**
 * The contract check of qnnpack_hardswish@1 and qnnpack_hardsigmoid@1 (contract/qnnpack_hard_activations.ts), run once
 * by reference/ and impl/: x (quint8, at least 1-d, not empty, values in range), the scales (finite positive doubles
 * whose float32 is a positive normal, as QNNPACK requires) and zero points.
 */
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';
import type { QnnpackHardsigmoidAttrs, QnnpackHardswishAttrs } from './qnnpack_hard_activations.js';
import { type IntTensor, numel } from './tensor.js';
import { validateDtypeZeroPoint, validateQuantizedValues, validateScale, validateShape } from './validate.js';

/** A scale QNNPACK takes: a finite positive double whose float32 is a positive normal (else its create fails). */
function checkQnnpackScale(what: string, scale: number): void {
  validateScale(what, scale);
  if (!isPositiveNormalFloat32(scale)) throw new QconformError('unsupported_by_scheme', what, scale, 'a float32 that is a positive normal: QNNPACK refuses the scale, and torch raises "failed to create QNNPACK ... operator"');
}

function checkInput(what: string, x: IntTensor, attrs: QnnpackHardsigmoidAttrs): void {
  if (x.dtype !== 'quint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, x.dtype, 'quint8 (the qnnpack engine runs ATen\'s kernels on qint8: quantized_hardswish@1, quantized_hardsigmoid@1)');
  validateShape(`${what}: x`, x);
  if (x.shape.length === 0) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'at least one dimension (torch: "Got empty input tensor")');
  if (numel(x.shape) === 0) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'a non-empty tensor (QNNPACK takes numel / size(0) channels: 0 channels it refuses, size(0) = 0 divides by zero)');
  validateQuantizedValues(`${what}: x`, x.data, 'quint8');
  checkQnnpackScale(`${what}: x_scale`, attrs.xScale);
  validateDtypeZeroPoint(`${what}: x_zero_point`, attrs.xZeroPoint, 'quint8');
}

export function checkQnnpackHardsigmoid(x: IntTensor, attrs: QnnpackHardsigmoidAttrs): void {
  checkInput('qnnpack_hardsigmoid', x, attrs);
}

export function checkQnnpackHardswish(x: IntTensor, attrs: QnnpackHardswishAttrs): void {
  const what = 'qnnpack_hardswish';
  checkInput(what, x, attrs);
  checkQnnpackScale(`${what}: scale`, attrs.scale);
  validateDtypeZeroPoint(`${what}: zero_point`, attrs.zeroPoint, 'quint8');
}
