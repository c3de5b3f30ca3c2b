/**
 * Case generator of nhwc_max_pool@1 (com.microsoft NhwcMaxPool, ORT 1.30 nhwc_max_pool.cc): uint8 and int8 NHWC
 * tensors of 1 to 3 spatial dims, kernels with strides, dilations, explicit pads (each below its kernel), ceil_mode
 * and auto_pad (VALID, SAME_UPPER, SAME_LOWER). Values are uniform, or crowded at the type's lowest values so that a
 * padded tap read as anything but lowest() (0 for uint8, -128 for int8) would show; small images with wide dilations
 * make windows whose every tap is padding. Attributes are redrawn (a few times) while a pooled size would be 0 or less
 * (an empty y, or ORT's refusal), so the outputs are never empty. About 3% are refused: a pad as large as its kernel, a
 * stride of 0, a kernel of the wrong rank, an int16 x.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { isQconformError } from '../../contract/errors.js';
import { checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import type { AutoPad, NhwcMaxPoolArgs } from '../../contract/onnx_qops.js';
import { intTensor, numel } from '../../contract/tensor.js';
import { type CaseFactory, wireInt } from './builders.js';
import type { CaseRandom } from './random.js';

interface Window {
  kernelShape: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
  autoPad: AutoPad;
  ceilMode: boolean;
}

function drawWindow(r: CaseRandom, rank: number): Window {
  const kernelShape = Array.from({ length: rank }, () => r.int(1, 4));
  const strides = kernelShape.map(() => (r.bool(0.4) ? 1 : r.int(1, 3)));
  const dilations = kernelShape.map(() => (r.bool(0.6) ? 1 : r.int(2, 3)));
  const autoPad: AutoPad = r.bool(0.15) ? r.pick(['VALID', 'SAME_UPPER', 'SAME_LOWER'] as const) : 'NOTSET';
  const padded = autoPad === 'NOTSET' && r.bool(0.6);
  const pads = [...kernelShape, ...kernelShape].map((k) => (padded ? r.int(0, k - 1) : 0));
  return { kernelShape, strides, pads, dilations, autoPad, ceilMode: r.bool(0.4) };
}

/** Whether the window gives a non-empty output for this shape (the contract's own geometry: a pooled size of 0 gives an empty y, a negative one `empty_output`). */
function fits(shape: number[], w: Window): boolean {
  const args: NhwcMaxPoolArgs = { x: intTensor('quint8', shape, new Int32Array(numel(shape))), ...w };
  try {
    return numel(checkNhwcMaxPool('generator', args).outShape) > 0;
  } catch (e) {
    if (isQconformError(e) && e.code === 'empty_output') return false;
    throw e;
  }
}

export const nhwcMaxPoolCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const { min, max } = DTYPE_RANGE[dtype];
  const rank = r.pick([1, 2, 2, 2, 3]);
  const spatial = Array.from({ length: rank }, () => r.int(1, rank === 3 ? 5 : 8));
  const shape = [r.int(1, 2), ...spatial, r.pick([1, 2, 3, 4, 5, 8, 17])];
  let w = drawWindow(r, rank);
  for (let tries = 0; tries < 8 && !fits(shape, w); tries++) w = drawWindow(r, rank);
  if (!fits(shape, w)) w = { ...w, kernelShape: w.kernelShape.map(() => 1), pads: w.pads.map(() => 0), dilations: w.dilations.map(() => 1) };
  const low = r.bool(0.35);
  const x = Array.from({ length: numel(shape) }, () => (low ? min + r.int(0, 3) : r.int(min, max)));
  const attrs: Record<string, unknown> = { kernel_shape: w.kernelShape, ceil_mode: w.ceilMode };
  if (w.strides.some((s) => s !== 1) || r.bool(0.3)) attrs.strides = w.strides;
  if (w.dilations.some((d) => d !== 1) || r.bool(0.3)) attrs.dilations = w.dilations;
  if (w.autoPad !== 'NOTSET') attrs.auto_pad = w.autoPad;
  else if (w.pads.some((p) => p !== 0) || r.bool(0.3)) attrs.pads = w.pads;
  let xDtype: 'quint8' | 'qint8' | 'int16' = dtype;
  if (r.bool(0.03)) {
    const kind = r.int(0, 3);
    if (kind === 0) attrs.pads = [...w.kernelShape, ...w.kernelShape.map(() => 0)]; // a pad of the kernel's size
    else if (kind === 1) attrs.strides = w.strides.map((s, d) => (d === 0 ? 0 : s));
    else if (kind === 2) attrs.kernel_shape = [...w.kernelShape, 1];
    else xDtype = 'int16';
    if (kind === 0) delete attrs.auto_pad;
  }
  return { op: 'nhwc_max_pool@1', attrs, inputs: { x: wireInt(xDtype, shape, x) } };
};
