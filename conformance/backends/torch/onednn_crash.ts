/**
 * A known crash of torch 1.13.1's onednn quantized::conv2d (Debian python3-torch, oneDNN v2.6.3): heap
 * corruption (`free(): invalid next size`, `munmap_chunk(): invalid pointer`, SIGSEGV or SIGABRT) on every
 * x86 ISA measured (AVX512-VNNI natively, AVX2 and SSE4.1 under QEMU). Trigger, as measured (one forked
 * process per conv, each repeated): a 1x1 weight, an input of exactly N = 1, H = W = 4, per-tensor weights,
 * no bias, no ReLU, and oneDNN's output scale f32(dst_s / f32(src_s * w_s)) (torch-onednn@1's prepare)
 * exactly 1.0. Any channel counts (1..64), groups (1, 2, depthwise), stride (1, 2), padding (0, 1),
 * dilation and zero points. Not triggered by N = 2..4, 3x3 / 5x5 / 4x8 / 8x8 / 16x1 inputs, a 3x3 or 2x2
 * kernel, per-channel weights (even with every scale 1), a zero bias, ReLU, or an output scale one ulp
 * away from 1. The case generators never draw it (conv_cases.ts).
 */
import { requant__torch_onednn } from '../../../impl/requant/torch_onednn.js';

export interface OnednnCrashFacts {
  /** [N, C, H, W] and [OC, C / groups, KH, KW] */
  readonly xShape: readonly number[];
  readonly weightShape: readonly number[];
  readonly perChannel: boolean;
  readonly xScale: number;
  /** the per-tensor weight scale */
  readonly weightScale: number;
  readonly yScale: number;
  readonly hasBias: boolean;
  readonly relu: boolean;
}

export function onednnCorruptsHeap(c: OnednnCrashFacts): boolean {
  const [n, , h, w] = c.xShape;
  const [, , kh, kw] = c.weightShape;
  if (n !== 1 || h !== 4 || w !== 4 || kh !== 1 || kw !== 1 || c.perChannel || c.hasBias || c.relu) return false;
  const params = requant__torch_onednn.prepare({
    xScale: c.xScale, wScale: c.weightScale, yScale: c.yScale, perChannel: false, yZeroPoint: 0, bias: null, relu: false, outMin: 0, outMax: 255, qnnpackPath: 'gemm',
  });
  return params.outputScale === 1;
}
