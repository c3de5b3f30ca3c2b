/**
 * The per-CPU torch vector sets: torch 1.13's onednn convs on a CPU without VNNI (vectors/torch-1.13-onednn-haswell),
 * a few hundred cases so the emulated run stays within minutes (each conv runs in a forked child under QEMU).
 */
import type { CaseFactory } from './builders.js';
import { torchOnednnConvCase } from './conv_cases.js';

export const TORCH_CPU_GENERATOR_VERSION = 1;
export const TORCH_ONEDNN_CPU_SEED = 'qconform-torch-1.13-onednn-cpu-v1';

export const TORCH_ONEDNN_CPU_CATALOG: ReadonlyArray<{ op: 'quantized_conv2d@1'; count: number; factory: CaseFactory }> = [
  { op: 'quantized_conv2d@1', count: 400, factory: torchOnednnConvCase },
];
