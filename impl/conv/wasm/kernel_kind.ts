/** Which WebAssembly kernel a conv runs on, from its geometry (impl/conv/wasm_conv.ts makes the choice). */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';

/** The kernels: general_sat16 is the general one with a sat16 accumulator; the depthwise ones take one input channel per group. */
export const WASM_KERNELS = ['general', 'general_sat16', 'depthwise', 'depthwise_3x3'] as const;
export type WasmKernel = (typeof WASM_KERNELS)[number];

/** The depthwise 3x3 fast path's geometry: one input channel per group, 3x3, stride (1 or 2, 1), no dilation. */
export function isDepthwise3x3(a: Conv2dArgs, g: ConvGeometry): boolean {
  return g.icg === 1 && g.kh === 3 && g.kw === 3 && a.stride[1] === 1 && (a.stride[0] === 1 || a.stride[0] === 2) && a.dilation[0] === 1 && a.dilation[1] === 1;
}

/** Whether the kernel is one of the depthwise ones (runs of whole channels, one channel's plane at a time). */
export function isDepthwiseKernel(kernel: WasmKernel): boolean {
  return kernel === 'depthwise' || kernel === 'depthwise_3x3';
}
