/**
 * The memory format of each tensor of a torch 1.13 forward, as explain follows it (torch_model.ts): what a quantized
 * add's loop walks (contract/aten_vectorized_loop.ts) and what picks an adaptive average pool's kernel
 * (contract/quantized_adaptive_avg_pool2d.ts). Measured on torch 1.13.1's onednn and qnnpack engines, quint8 tensors
 * of 4 channels in both formats: a Quantize stub gives a contiguous tensor; a quantized conv a channels_last one,
 * whatever it reads; a linear's output is 2-D (contiguous); these keep their (first) input's: ReLU, ReLU6, max pool,
 * AvgPool2d, adaptive average pool, quantized Hardswish, Hardsigmoid, and a QFunctional's add, add_relu, mul and cat
 * (so FX's quantized:: ops of the same kernels); Tensor.mean gives a contiguous tensor, and so does ShuffleNetV2's
 * channel shuffle and a chunk of a contiguous tensor (of a batch of one).
 */
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { addMethodOf } from './torch_add_step.js';

/** Modules of a converted model whose output has their (first) input's memory format. */
const FORMAT_KEEPING_MODULES = new Set(['ReLU', 'ReLU6', 'AvgPool2d', 'Hardswish', 'Hardsigmoid', 'QFunctional']);
/** Ops of the forward whose output has their (first) input's memory format. */
const FORMAT_KEEPING_OPS = new Set(['aten::avg_pool2d', 'torch.nn.functional.avg_pool2d', 'aten::hardsigmoid', 'torch.nn.functional.hardsigmoid', 'aten::relu6', 'torch.nn.functional.relu6']);

/** The memory format of a module's output: `read` is that of the tensor it reads (its first), null when unknown. */
export function outputMemoryFormat(m: { readonly kind: string; readonly type: string; readonly method?: string | null }, read: MemoryFormat | null): MemoryFormat | null {
  if (m.kind === 'quantize') return 'contiguous';
  if (m.kind === 'conv2d') return 'channels_last';
  if (m.kind === 'linear') return 'contiguous';
  if (m.type === 'aten::mean') return 'contiguous';
  // a channel shuffle (measured by channel_ops.py on both formats) gives a contiguous tensor; a chunk of a contiguous
  // tensor is contiguous for a batch of one (channel_gather_step.ts runs no other), of a channels_last one neither
  if (m.kind === 'channel_shuffle') return 'contiguous';
  if (m.kind === 'chunk') return read === 'contiguous' ? 'contiguous' : null;
  const keeps = ['maxpool2d', 'adaptive_avg_pool2d', 'avg_pool2d', 'relu', 'unchanged'].includes(m.kind) || FORMAT_KEEPING_MODULES.has(m.type) || FORMAT_KEEPING_OPS.has(m.type) || m.type.startsWith('quantized::') || addMethodOf(m) !== null;
  return keeps ? read : null;
}
