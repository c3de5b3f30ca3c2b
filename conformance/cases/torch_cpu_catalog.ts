/**
 * The per-CPU torch vector sets: torch 1.13's onednn convs and linears on a CPU without VNNI
 * (vectors/torch-1.13-onednn-haswell), a few hundred cases so the emulated run stays within minutes (each call runs
 * in a forked child under QEMU). The linears are onednn's static linear (K <= 100) and dynamic linear (K up to 770,
 * across oneDNN's gemm K blocks).
 */
import type { ConvOpName } from '../../contract/conv.js';
import type { LinearOpName } from '../../contract/linear.js';
import type { WireRequest } from '../protocol/messages.js';
import type { CaseFactory } from './builders.js';
import { torchOnednnConvCase } from './conv_cases.js';
import { torchOnednnGemmDynamicLinearCase, torchOnednnStaticLinearCase } from './linear_cases.js';

export const TORCH_CPU_GENERATOR_VERSION = 1;
export const TORCH_ONEDNN_CPU_SEED = 'qconform-torch-1.13-onednn-cpu-v1';

export const TORCH_ONEDNN_CPU_CATALOG: ReadonlyArray<{ op: ConvOpName | LinearOpName; count: number; factory: CaseFactory }> = [
  { op: 'quantized_conv2d@1', count: 400, factory: torchOnednnConvCase },
  { op: 'quantized_linear@1', count: 100, factory: torchOnednnStaticLinearCase },
  { op: 'quantized_linear_dynamic@1', count: 200, factory: torchOnednnGemmDynamicLinearCase },
];

/**
 * Whether a generated request belongs in a per-CPU set. Left out: convs whose output channels `groups` does not
 * divide. oneDNN then returns fewer channels instead of raising (the host set waives its one such case by id,
 * conformance/backends/torch/torch-onednn.waivers.txt); qconform's contract rejects the geometry on every CPU, so
 * the per-CPU set has nothing to add there.
 */
export function inTorchCpuSet(request: WireRequest): boolean {
  const groups = Number(request.attrs?.groups ?? 1);
  const oc = (request.inputs?.weight as { shape?: number[] } | undefined)?.shape?.[0] ?? 0;
  return groups > 0 && oc % groups === 0;
}
