/**
 * What torch 1.13's quantized max_pool2d computes and refuses, for `qconform explain`'s torch MaxPool2d steps
 * (max_pool.ts). torch takes one of two paths (aten/src/ATen/native/quantized/cpu/Pooling.cpp quantized_max_pool2d),
 * the first only under the qnnpack engine (at::globalContext().qEngine() == QNNPACK; explain runs a model on the engine
 * it is loaded under, MaxPoolStep.torchEngine: torch_engine.ts):
 *   - QNNPACK (qnnpack_maxpool2d), for a quint8 input with ceil_mode False: each window tap's coordinate is clamped
 *     into the image, oy * stride + ky * dilation - pad taken as 0 below 0 and as size - 1 past the end
 *     (pytorch_qnnp_indirection_init_maxpool2d, aten/src/ATen/native/quantized/cpu/qnnpack/src/indirection.c: doz,
 *     then min), so a tap in the padding reads the nearest edge pixel: the max of the edge-replicated image pooled with
 *     no padding (qnnpackEdgePadded). With dilation 1 this equals the native kernel's; with dilation > 1 and padding
 *     it differs (a tap clamped onto a pixel the window skips);
 *   - the native kernel (q_maxpool_2d), for every other pool (ceil_mode True, a qint8 input, or any other engine than
 *     qnnpack, e.g. onednn): the windows ORT's
 *     MaxPool computes (the model max_pool.ts runs), a window over padding only giving the type's lowest value
 *     (quint8 0, qint8 -128), as spatial_dilated_max_pooling starts each window from
 *     numeric_limits<underlying>::lowest(). On an input of shape [N, C > 1, 1, 1] whose output has more than one
 *     pixel (padding), the kernel writes an NHWC result into the output: when the input is NCHW-contiguous (a
 *     Quantize stub's output, a qint8 tensor) torch returns those channels mixed ([1, 4, 1, 1] 0..3, kernel 2,
 *     padding 1, ceil_mode True: 0, 1, 2, 3, 0, 1, 2, 3, ...), when it is channels-last (a quantized conv's output)
 *     it does not; explain does not know which, so such a pool is not modelled (torchMaxPoolNotModelled).
 * Refusals, each with torch's message for the path taken (checkTorchMaxPoolAttributes, checkTorchPooledSizes):
 *   - QNNPACK: a 1x1 kernel (pytorch_qnnp_create_max_pooling2d_nhwc_u8: "1x1 pooling is meaningless", then torch's
 *     internal assert "failed to create QNNPACK MaxPool operator"); a pad above kernel // 2, height first
 *     (pooling_output_shape, aten/src/ATen/native/Pool.h: "pad should be at most half of kernel size, but got pad=2
 *     and kernel_size=3"); an output size below 1 ("qnnpack_maxpool2d(): the resulting output Tensor size should be >= 0");
 *   - native: a pad above kernel // 2 ("padding should be smaller than half of kernel_size."); an output size below 1
 *     ("Given input size: ... Output size is too small."). ORT takes any pad below the kernel and gives an empty
 *     output (size 0) or, floor mode, truncates a negative numerator toward zero (torch floors it: div_rtn).
 * Measured with /usr/bin/python3 (Debian torch 1.13.0a0), torch.nn.functional.max_pool2d on quint8 and qint8, qnnpack
 * and onednn engines, ceil_mode True and False; the QNNPACK model against 1603 random quint8 floor-mode pools
 * (kernels 1-4, strides 1-3, dilations 1-3, every pad up to kernel // 2), all equal
 * (tests/explain/torch_max_pool.test.ts runs models live, on both engines).
 */
import { torchPooledSize } from '../../contract/torch_pool_layout.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import type { MaxPoolStep } from './model_types.js';
import { ModelReadError } from './model_types.js';

/** Which torch 1.13 path pools `dtype` data (quantized_max_pool2d on the step's engine); 'unknown' when the dtype is and it matters. */
export function torchMaxPoolPath(step: MaxPoolStep, dtype: QuantDtype | undefined): 'qnnpack' | 'native' | 'unknown' {
  if (step.ceilMode || dtype === 'qint8' || step.torchEngine !== 'qnnpack') return 'native';
  return dtype === 'quint8' ? 'qnnpack' : 'unknown';
}

const NATIVE_PAD = 'padding should be smaller than half of kernel_size.';
const qnnpackPad = (pad: number, kernel: number): string => `pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${kernel}`;

/**
 * torch's shape-independent refusals for the path `dtype` takes (torchMaxPoolPath): QNNPACK's 1x1 kernel, then each
 * pad at most kernel // 2, each a ModelReadError with torch's message. An unknown dtype (no quantized layer before
 * the pool) names both paths' messages.
 */
export function checkTorchMaxPoolAttributes(path: string, step: MaxPoolStep, dtype: QuantDtype | undefined): void {
  const way = torchMaxPoolPath(step, dtype);
  const head = `MaxPool2d ${step.name}`;
  if (way === 'qnnpack' && step.kernel[0] * step.kernel[1] === 1) {
    throw new ModelReadError(path, `${head}: kernel_size (1, 1) on quint8 in floor mode: torch 1.13's QNNPACK max pool refuses it ("1x1 pooling is meaningless"; torch raises "failed to create QNNPACK MaxPool operator")`);
  }
  const bad = [0, 1].find((d) => step.pads[d]! > Math.floor(step.kernel[d]! / 2));
  if (bad === undefined) return;
  const said = { qnnpack: `"${qnnpackPad(step.pads[bad]!, step.kernel[bad]!)}"`, native: `"${NATIVE_PAD}"`, unknown: `quint8: "${qnnpackPad(step.pads[bad]!, step.kernel[bad]!)}", qint8: "${NATIVE_PAD}"` }[way];
  throw new ModelReadError(path, `${head}: padding (${step.pads[0]}, ${step.pads[1]}) with kernel_size (${step.kernel.join(', ')}): torch 1.13 refuses it (${said})`);
}

/** torch's output sizes for NCHW `shape` of `dtype`: a ModelReadError with the message of torch's path when one is below 1. */
export function checkTorchPooledSizes(path: string, step: MaxPoolStep, shape: readonly number[], dtype: QuantDtype): void {
  const [, c, h, w] = shape as [number, number, number, number];
  const [oh, ow] = [0, 1].map((d) => torchPooledSize(shape[2 + d]!, step.kernel[d]!, step.pads[d]!, step.stride[d]!, step.dilation[d]!, step.ceilMode));
  if (oh! >= 1 && ow! >= 1) return;
  const said = torchMaxPoolPath(step, dtype) === 'qnnpack'
    ? 'qnnpack_maxpool2d(): the resulting output Tensor size should be >= 0'
    : `Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${oh}x${ow}). Output size is too small.`;
  throw new ModelReadError(path, `MaxPool2d ${step.name}: torch 1.13 refuses its input [${shape.join(', ')}] ("${said}")`);
}

/** Why torch's result on NCHW `shape` of `dtype` is not modelled (the native kernel's channel order on 1x1 inputs), or null. */
export function torchMaxPoolNotModelled(step: MaxPoolStep, shape: readonly number[], dtype: QuantDtype): string | null {
  const [, c, h, w] = shape as [number, number, number, number];
  if (torchMaxPoolPath(step, dtype) !== 'native' || h !== 1 || w !== 1 || c < 2) return null;
  const [oh, ow] = [0, 1].map((d) => torchPooledSize(1, step.kernel[d]!, step.pads[d]!, step.stride[d]!, step.dilation[d]!, step.ceilMode));
  if (oh! * ow! < 2) return null;
  return `on a [${shape.join(', ')}] input its ${oh}x${ow} output is not modelled: torch 1.13's native quantized max_pool2d writes an NHWC result, which comes out with its channels mixed when the input is NCHW-contiguous (a Quantize stub's output) and in order when it is channels-last (a quantized conv's output)`;
}

/**
 * NHWC data `x` of shape [n, h, w, c] with each edge pixel repeated `ph` rows above and below and `pw` columns left
 * and right (layout only): pooled with no padding, it gives what QNNPACK's max pool (clamped tap coordinates,
 * pytorch_qnnp_indirection_init_maxpool2d) gives on `x` with padding (ph, pw).
 */
export function qnnpackEdgePadded(x: ArrayLike<number>, [n, h, w, c]: readonly number[], ph: number, pw: number): { data: Int32Array; shape: number[] } {
  const [H, W] = [h! + 2 * ph, w! + 2 * pw];
  const data = new Int32Array(n! * H * W * c!);
  for (let b = 0; b < n!; b++) {
    for (let y = 0; y < H; y++) {
      const sy = Math.min(Math.max(y - ph, 0), h! - 1);
      for (let xx = 0; xx < W; xx++) {
        const sx = Math.min(Math.max(xx - pw, 0), w! - 1);
        const from = ((b * h! + sy) * w! + sx) * c!;
        const to = ((b * H + y) * W + xx) * c!;
        for (let ch = 0; ch < c!; ch++) data[to + ch] = x[from + ch]!;
      }
    }
  }
  return { data, shape: [n!, H, W, c!] };
}
