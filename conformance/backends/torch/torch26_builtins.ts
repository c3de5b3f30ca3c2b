/**
 * Real PyTorch 2.6 (Debian 13's python3-torch 2.6.0 in the chroot of torch26_chroot.ts), one backend per
 * quantized engine, running the same adapter as torch-qnnpack / torch-onednn (python/qconform_torch.py).
 * Checked against vectors/torch-2.6. Its handshake lists the ops it answers: the @1 ops whose 2.6 result is
 * the 1.13 one bit for bit, and the @2 ops where 2.x changed (histogram_observer, the qint32 range check of the
 * qparams ops and min/max observers); convs: torch-qnnpack@1 and torch-onednn@2.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../backend.js';
import { TORCH_1_13_SCHEME } from '../../runner/scheme.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { TORCH26_LINEAR_VECTORS_DIR, TORCH26_VECTORS_DIR } from '../../vectors/vector_set.js';
import { type TorchEngine, torchUniformAccumulator } from './onednn_accumulator.js';
import { TORCH26_ATEN_CAPABILITY, TORCH26_ROOT, torch26Availability, torch26Command } from './torch26_chroot.js';
import { withInfo } from '../cpu/with_cpu_info.js';

/** The conv scheme of each engine in torch 2.6: qnnpack as in 1.13, onednn (oneDNN 3.7) its own (contract/conv.ts). */
export const TORCH26_CONV_SCHEMES: Readonly<Record<TorchEngine, string>> = { qnnpack: 'torch-qnnpack@1', onednn: 'torch-onednn@2' };

/**
 * Whether torch 2.6's onednn convs (torch-onednn@2) are claimed on a CPU with these CPUID flags: not on a CPU with
 * AMX (amx_int8). vectors/torch-2.6 was written on an AVX-512 VNNI CPU without AMX; on an AMX Xeon (Sapphire Rapids
 * class) real torch 2.6 gave other outputs for 5 of its 1,200 onednn convs (quantized_conv2d-00365, -01025, -01143,
 * -01851, -02185; whole elements such as 68 -> 255, not last-bit differences). Capping oneDNN at AVX512_CORE_VNNI
 * (ONEDNN_MAX_CPU_ISA) removed three of them, the other two (x_zero_point 0) stayed: oneDNN 3.7 picks other kernels
 * there, which no model here describes. torch 2.6's onednn linears and torch 1.13's convs agree on both CPUs.
 */
export function torch26OnednnConvClaimed(flags: readonly string[]): boolean {
  return !flags.includes('amx_int8');
}

async function start(engine: TorchEngine): Promise<Backend> {
  // the @1 ops keep the torch 1.13 scheme name: vectors/torch-2.6 shows 2.6 computes them identically
  const b = await SubprocessBackend.start(torch26Command(engine), { defaultCapabilities: { schemes: [TORCH_1_13_SCHEME, TORCH26_CONV_SCHEMES[engine]] }, startTimeoutMs: 120_000 });
  const flags = Array.isArray(b.info.cpu_flags) ? (b.info.cpu_flags as string[]) : [];
  const accumulator = torchUniformAccumulator(engine, flags);
  const withChroot = withInfo(b, { chroot: TORCH26_ROOT, aten_cpu_capability_env: TORCH26_ATEN_CAPABILITY });
  const ops = engine === 'onednn' && !torch26OnednnConvClaimed(flags) ? withChroot.capabilities.ops.filter((op) => op !== 'quantized_conv2d@1') : withChroot.capabilities.ops;
  return { ...withChroot, capabilities: { ...withChroot.capabilities, ops, ...(accumulator ? { accumulator } : {}) } };
}

function torch26EngineBackend(engine: TorchEngine): BuiltinBackend {
  return {
    name: `torch26-${engine}`,
    summary: `PyTorch 2.6 (Debian 13 chroot) with torch.backends.quantized.engine = "${engine}"; schemes ${TORCH_1_13_SCHEME}, ${TORCH26_CONV_SCHEMES[engine]}; the @2 ops of torch 2.x`,
    waiverDir: dirname(fileURLToPath(import.meta.url)),
    defaultVectors: [TORCH26_VECTORS_DIR, TORCH26_LINEAR_VECTORS_DIR],
    availability: () => torch26Availability(),
    create: () => start(engine),
  };
}

export const torch26QnnpackBackend = torch26EngineBackend('qnnpack');
export const torch26OnednnBackend = torch26EngineBackend('onednn');
