/**
 * Case generators of quantized_avg_pool2d@1 (contract/quantized_avg_pool2d.ts) for one ATen CPU capability: 3-D and 4-D
 * inputs in both layouts (and the contiguous ones torch pools in its NHWC kernel: C = 1, H = W = 1), Inception v3's
 * F.avg_pool2d(x, 3, 1, 1), kernels of 1 to 4 with strides and padding up to half the kernel, ceil_mode,
 * count_include_pad off, divisor_override (negative too), channel counts around the AVX2 and AVX512 blocks of 8 and 16.
 * Where the kernels part (a mean on a tie: NHWC rounds q - z, NCHW q) random values seldom fall, so half the cases are
 * tie-rich: values from {v, v + 1}, odd zero points, windows of even size. Now and then a scale whose float32 is 0 or
 * inf: the NHWC multiplier is NaN, and its vector channels (QuantizeAvx2 / Avx512's minps) then give other outputs
 * than its scalar ones.
 */
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { ATEN_CPU_CAPABILITIES } from '../../contract/aten_vectorized_loop.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, QUANT8, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawPoolValues } from './pool_values.js';
import type { CaseRandom } from './random.js';

/** An input shape and layout: mostly 4-D, a few of the layouts torch pools in its NHWC kernel though contiguous. */
function drawInput(r: CaseRandom, inception: boolean): { shape: number[]; memoryFormat: MemoryFormat } {
  if (inception) return { shape: [1, r.pick([32, 64, 48, 20]), 8, 8], memoryFormat: 'channels_last' };
  if (r.bool(0.12)) return { shape: [r.int(1, 20), r.int(1, 9), r.int(1, 9)], memoryFormat: 'contiguous' };
  const shape = [r.int(1, 2), r.bool(0.12) ? 1 : r.pick([8, 16, 32]) + r.int(-3, 3), r.int(1, 9), r.int(1, 9)];
  if (r.bool(0.06)) [shape[2], shape[3]] = [1, 1];
  return { shape, memoryFormat: r.bool(0.6) ? 'channels_last' : 'contiguous' };
}

/** kernel, stride, padding of one spatial dimension of length `len` (padding at most half the kernel; a window that fits). */
function drawWindow(r: CaseRandom, len: number): [number, number, number] {
  const k = r.int(1, Math.min(4, len + 2));
  const p = r.int(0, k >> 1);
  const s = r.int(1, 3);
  return len + 2 * p >= k ? [k, s, p] : [1, 1, 0];
}

/** quantized_avg_pool2d@1 cases run on a torch process started with ATEN_CPU_CAPABILITY=`capability`. */
export function quantizedAvgPool2dCases(capability: AtenCpuCapability): CaseFactory {
  return (r, index) => {
    const dtype = r.pick(QUANT8);
    const inception = index % 25 === 24;
    const { shape, memoryFormat } = drawInput(r, inception);
    const [h, w] = shape.slice(-2) as [number, number];
    const [[kh, sh, ph], [kw, sw, pw]] = inception ? [[3, 1, 1], [3, 1, 1]] : [drawWindow(r, h), drawWindow(r, w)];
    const tieRich = r.bool(0.5);
    const n = numel(shape);
    const { x, zeroPoint } = drawPoolValues(r, n, dtype, tieRich);
    const scale = r.bool(0.05) ? r.pick([1e-60, 1e60]) : drawScale(r);
    const divisor = r.bool(0.1) ? r.pick([1, 2, 4, 7, -3, 1000]) : null;
    return {
      op: 'quantized_avg_pool2d@1',
      attrs: {
        scale: hex64(scale),
        zero_point: zeroPoint,
        kernel_size: [kh, kw],
        // torch's default stride is the kernel (an omitted stride)
        ...(r.bool(0.15) && !inception ? {} : { stride: [sh, sw] }),
        padding: [ph, pw],
        ceil_mode: !inception && r.bool(0.3),
        count_include_pad: inception || r.bool(0.7),
        ...(divisor === null ? {} : { divisor_override: divisor }),
        memory_format: memoryFormat,
        cpu_capability: capability,
      },
      inputs: { x: wireInt(dtype, shape, x) },
    };
  };
}

/**
 * What `--fuzz` draws of quantized_avg_pool2d@1: the same cases, each of a drawn capability (a torch backend claims its
 * own process's only: the others are skipped as unclaimed, conformance/backends/torch/torch_builtins.ts).
 */
export const quantizedAvgPool2dFuzzCase: CaseFactory = (r, index) => quantizedAvgPool2dCases(r.pick(ATEN_CPU_CAPABILITIES))(r, index);

/** The same draws as torch 2.6's quantized_avg_pool2d@2 (contract/quantized_avg_pool2d.ts). */
export const quantizedAvgPool2d2FuzzCase: CaseFactory = (r, index) => ({ ...quantizedAvgPool2dFuzzCase(r, index), op: 'quantized_avg_pool2d@2' });
