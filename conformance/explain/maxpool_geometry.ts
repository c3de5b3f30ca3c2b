/**
 * Whether `qconform explain` can carry data through a max pool: its kernel, stride and dilation are integers of at
 * least 1, its padding a non-negative integer smaller than the kernel (ONNX Runtime's rule; torch's, at most half
 * of it, is stricter), so that every window holds at least one input value; and on a given input, its output is not
 * empty. A kernel or stride of 0 would otherwise divide by zero when the output is sized.
 */
import type { MaxPoolStep } from './model_types.js';
import { convOutputSize } from '../../contract/conv.js';

const isPositive = (v: number) => Number.isSafeInteger(v) && v >= 1;

/** Why the max pool's geometry cannot be run, or null. */
export function maxPoolGeometryProblem(step: MaxPoolStep): string | null {
  const show = (p: readonly number[]) => `[${p[0]}, ${p[1]}]`; // a missing second value shows as undefined
  const pairs = `kernel ${show(step.kernel)}, stride ${show(step.stride)}, padding ${show(step.padding)}, dilation ${show(step.dilation)}`;
  const ok = ([0, 1] as const).every(
    (i) => isPositive(step.kernel[i]) && isPositive(step.stride[i]) && isPositive(step.dilation[i]) && Number.isSafeInteger(step.padding[i]) && step.padding[i] >= 0 && step.padding[i] < step.kernel[i],
  );
  return ok ? null : `${pairs}: kernel, stride and dilation must be integers >= 1 and the padding an integer in [0, kernel)`;
}

/** The max pool's output shape on an NCHW `shape`, or why it is empty. */
export function maxPoolOutputShape(step: MaxPoolStep, shape: readonly number[]): number[] | string {
  const [n, c, h, w] = shape as [number, number, number, number];
  const oh = convOutputSize(h, step.kernel[0], step.stride[0], step.padding[0], step.dilation[0]);
  const ow = convOutputSize(w, step.kernel[1], step.stride[1], step.padding[1], step.dilation[1]);
  if (oh < 1 || ow < 1) return `its output on an input of [${shape.join(', ')}] would be empty (${oh} x ${ow}): the dilated kernel [${step.kernel.join(', ')}] is larger than the padded input`;
  return [n, c, oh, ow];
}
