/**
 * `qconform explain`'s 2-d max pool (MaxPoolStep) on its NCHW chain, through the exact model of ORT 1.30's uint8 /
 * int8 MaxPool that nhwc_max_pool@1 checks and computes (contract/nhwc_max_pool_checks.ts, impl/onnx/nhwc_max_pool.ts):
 * ONNX MaxPool-12 and com.microsoft NhwcMaxPool share PoolAttributes (onnxruntime/core/providers/cpu/nn/
 * pool_attributes.h: output sizes, auto_pad, ceil_mode, asymmetric pads), and MaxPoolV8 on uint8 / int8
 * (core/providers/cpu/nn/pool.cc, pool_functors.h MaxPool2DTask) starts each window from
 * numeric_limits<T>::lowest(), so a window with no in-bounds input (possible with dilation > 1) gives -128 or 0.
 * The chain is NCHW; the model is NHWC: the data is transposed there and back (layout only).
 * auto_pad with explicit pads: ORT 1.30 checks the pads attribute against the kernel (PoolAttributes' constructor,
 * "Pad should be smaller than kernel"), then lets auto_pad overwrite it (ComputeSizePadDilations), so the model runs
 * without it (runPads); measured with onnxruntime-node 1.30 on uint8 and int8, optimization levels disabled (ONNX
 * MaxPool) and all (NhwcMaxPool), SAME_UPPER, SAME_LOWER and VALID (tests/explain/max_pool_auto_pad.test.ts).
 * A torch MaxPool2d (rules 'torch') adds torch 1.13's own refusals (torch_max_pool.ts) before ORT's; on quint8 in
 * floor mode its integers are QNNPACK's (the same model on the edge-replicated image, no padding), and a pool torch's
 * native kernel gives in an order explain cannot tell is listed as not modelled.
 */
import { assertQuantDtype } from '../../contract/dtypes.js';
import { formatValue, isQconformError } from '../../contract/errors.js';
import { checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import { checkPoolWindow, intList } from '../../contract/qlinear_pool_checks.js';
import { type F32Tensor, type IntTensor, f32Tensor, intTensor, numel } from '../../contract/tensor.js';
import { maxPoolWindows, nhwcMaxPool } from '../../impl/onnx/nhwc_max_pool.js';
import { type MaxPoolStep, ModelReadError } from './model_types.js';
import { checkTorchMaxPoolAttributes, checkTorchPooledSizes, qnnpackEdgePadded, torchMaxPoolNotModelled, torchMaxPoolPath } from './torch_max_pool.js';

/** `data` of NCHW `shape` permuted to NHWC (toNhwc) or back from it. */
function permuted<T extends Int32Array | Float32Array>(data: ArrayLike<number>, [n, c, h, w]: readonly number[], toNhwc: boolean, out: T): T {
  const hw = h! * w!;
  for (let b = 0; b < n!; b++) {
    for (let ch = 0; ch < c!; ch++) {
      for (let p = 0; p < hw; p++) {
        const nchw = (b * c! + ch) * hw + p;
        const nhwc = (b * hw + p) * c! + ch;
        if (toNhwc) out[nhwc] = data[nchw]!;
        else out[nchw] = data[nhwc]!;
      }
    }
  }
  return out;
}

/** A QconformError of the contract's checks as a ModelReadError naming the model and the MaxPool node. */
function asReadError<R>(path: string, step: MaxPoolStep, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (!isQconformError(e)) throw e;
    const field = e.what.replace(/^MaxPool:? ?/, '');
    throw new ModelReadError(path, `MaxPool ${step.name}: ${field} ${formatValue(e.value)}: ${e.detail ?? e.message} [${e.code}]`);
  }
}

/**
 * The pads ORT runs the pool with: the pads attribute under auto_pad NOTSET, else none (auto_pad's own pads replace
 * it: PoolAttributes::ComputeSizePadDilations, onnxruntime/core/providers/cpu/nn/pool_attributes.h).
 */
function runPads(step: MaxPoolStep): readonly number[] {
  return step.autoPad === 'NOTSET' ? step.pads : step.pads.map(() => 0);
}

/**
 * Refuses (ModelReadError) a max pool whose attributes ORT refuses, whatever its input: the contract's window checks,
 * on the pads attribute whatever auto_pad is (PoolAttributes' constructor checks it before auto_pad replaces it), then
 * on auto_pad with the pads it runs with; a torch MaxPool2d's padding rule first.
 */
export function checkMaxPoolStep(path: string, step: MaxPoolStep): void {
  if (step.rules === 'torch') checkTorchMaxPoolAttributes(path, step, step.dtype);
  asReadError(path, step, () => {
    const window = { kernelShape: step.kernel, strides: step.stride, pads: step.pads, autoPad: 'NOTSET' };
    checkPoolWindow('MaxPool', window, 2);
    checkPoolWindow('MaxPool', { ...window, pads: runPads(step), autoPad: step.autoPad }, 2);
    intList('MaxPool: dilations', step.dilation, 2, 1);
  });
}

/**
 * The max pool of the chain's integers `xq` (NCHW, rank 4: a ModelReadError otherwise, as ORT refuses another rank)
 * and of its fake-quant floats `xf` (same shape; a window with no in-bounds input gives -Infinity there, what torch's
 * float max pool pads with); or, for a torch pool whose result explain does not model, the reason.
 */
export function maxPoolChain(path: string, step: MaxPoolStep, xq: IntTensor, xf: F32Tensor | null): { xq: IntTensor; xf: F32Tensor | null } | { notModelled: string } {
  if (xq.shape.length !== 4) throw new ModelReadError(path, `MaxPool ${step.name}: its input is [${xq.shape.join(', ')}], of rank ${xq.shape.length}: a 2-d MaxPool takes NCHW data of rank 4`);
  const dtype = step.rules === 'torch' ? assertQuantDtype('MaxPool2d input dtype', xq.dtype) : null;
  if (dtype) {
    checkTorchMaxPoolAttributes(path, step, dtype);
    checkTorchPooledSizes(path, step, xq.shape, dtype);
    const reason = torchMaxPoolNotModelled(step, xq.shape, dtype);
    if (reason) return { notModelled: reason };
  }
  const [n, c, h, w] = xq.shape as [number, number, number, number];
  const nhwc = permuted(xq.data, xq.shape, true, new Int32Array(xq.data.length));
  const args = { x: intTensor(xq.dtype, [n, h, w, c], nhwc), kernelShape: step.kernel, strides: step.stride, pads: runPads(step), dilations: step.dilation, autoPad: step.autoPad, ceilMode: step.ceilMode };
  // QNNPACK (quint8, floor mode): the window taps clamped into the image, i.e. the edge-replicated image with no padding
  const qnnpack = dtype !== null && torchMaxPoolPath(step, dtype) === 'qnnpack';
  const padded = qnnpack ? qnnpackEdgePadded(nhwc, [n, h, w, c], step.pads[0]!, step.pads[1]!) : null;
  const intArgs = padded ? { ...args, x: intTensor(xq.dtype, padded.shape, padded.data), pads: [0, 0, 0, 0] } : args;
  return asReadError(path, step, () => {
    const g = checkNhwcMaxPool('MaxPool', args);
    const [, oh, ow] = g.outShape as [number, number, number, number];
    const nchw = [n, c, oh, ow];
    const yq = nhwcMaxPool(intArgs);
    const outQ = intTensor(xq.dtype, nchw, permuted(yq.data, nchw, false, new Int32Array(yq.data.length)));
    if (!xf) return { xq: outQ, xf: null };
    const yf = maxPoolWindows(g, permuted(xf.data, xf.shape, true, new Float32Array(xf.data.length)), -Infinity, new Float32Array(numel(g.outShape)));
    return { xq: outQ, xf: f32Tensor(nchw, permuted(yf, nchw, false, new Float32Array(yf.length))) };
  });
}
