/**
 * Real PyTorch 1.13 through conformance/backends/torch/python/qconform_torch.py (Debian's /usr/bin/python3 with
 * python3-torch), one backend per quantized engine: the engine picks the kernels of engine-dependent
 * ops (conv). On an emulated CPU (`--cpu haswell|nehalem`) the adapter runs under qemu-x86_64-static. Its
 * handshake lists its ops and the CPUID flags torch sees; the accumulator claimed follows them
 * (onednn_accumulator.ts): one for every conv, or none where it depends on the geometry (the vector set then
 * states it per case).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TORCH_BACKEND_SCRIPT, TORCH_INSTALL_HINT, TORCH_PYTHON, torchAvailable } from './torch_process.js';
import type { Backend } from '../backend.js';
import type { WireRequest } from '../../protocol/messages.js';
import { TORCH_1_13_SCHEME } from '../../runner/scheme.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { type CpuModel, HOST_CPU, cpuAvailability, cpuProvenance, wrapCommand } from '../cpu/cpu_models.js';
import { withInfo } from '../cpu/with_cpu_info.js';
import { TORCH_ADD_VECTORS_DIR, TORCH_LINEAR_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH_CAT_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH_XNNPACK_ADD_VECTORS_DIR, TORCH_ONEDNN_HASWELL_VECTORS_DIR, TORCH_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_MUL_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR } from '../../vectors/vector_types.js';
import { type TorchEngine, torchClaimedOps, torchUniformAccumulator } from './onednn_accumulator.js';
import { torchFuzzCatalog } from '../../cases/fuzz_catalogs.js';
import { cpuFlagsOn } from '../cpu/cpu_flags_on.js';
import { onednnFuzzCatalog } from './onednn_fuzz_catalog.js';
import { refusingTooLargeFirst } from '../too_large_first.js';
import { refusingUnreadFirst } from '../unread_fields_first.js';

/** The adapter's command line for `engine` on `cpu` (under QEMU for an emulated model). */
export function torchCommand(engine: TorchEngine | null, cpu: CpuModel = HOST_CPU): { command: string; args: string[] } {
  return wrapCommand(cpu, TORCH_PYTHON, [TORCH_BACKEND_SCRIPT, ...(engine ? ['--engine', engine] : [])]);
}

/** torchCommand (host CPU) under ATEN_CPU_CAPABILITY=`capability`, the ATen capability torch fixes when it starts (the vector writers' processes). */
export function torchCommandUnderCapability(engine: TorchEngine | null, capability: string): { command: string; args: string[] } {
  const { command, args } = torchCommand(engine);
  return { command: 'env', args: [`ATEN_CPU_CAPABILITY=${capability}`, command, ...args] };
}

/** The ops whose requests name the ATen CPU capability they are computed under (attrs.cpu_capability). */
const CAPABILITY_OPS = ['quantized_add@', 'quantized_cat@', 'quantized_avg_pool2d@', 'quantized_hardswish@', 'quantized_hardsigmoid@', 'quantized_mul@', 'quantized_mean@'];

/**
 * quantized_add, quantized_cat, quantized_avg_pool2d, the hard activations' and quantized_mul's cases of another ATen CPU capability than this torch process runs (fixed when torch starts, by
 * the CPU and ATEN_CPU_CAPABILITY) are not claimed: the adapter would refuse them.
 */
export function atenCapabilityRefusal(processCapability: unknown): (request: WireRequest) => string | null {
  return (request) => {
    const asked = request.attrs?.cpu_capability;
    if (!CAPABILITY_OPS.some((prefix) => request.op.startsWith(prefix)) || asked === undefined || asked === processCapability) return null;
    return `cpu_capability ${String(asked)}: this torch process runs ATen capability ${String(processCapability)} (ATEN_CPU_CAPABILITY picks it when torch starts)`;
  };
}

async function start(engine: TorchEngine, cpu: CpuModel = HOST_CPU): Promise<Backend> {
  // unless the adapter's handshake says otherwise: torch 1.13 semantics and its engine's scheme
  const b = await SubprocessBackend.start(torchCommand(engine, cpu), { defaultCapabilities: { schemes: [TORCH_1_13_SCHEME, `torch-${engine}@1`] }, startTimeoutMs: 120_000 }); // importing torch can take a minute (more under QEMU)
  const flags = Array.isArray(b.info.cpu_flags) ? (b.info.cpu_flags as string[]) : [];
  const accumulator = torchUniformAccumulator(engine, flags);
  const ops = torchClaimedOps(engine, flags, b.capabilities.ops);
  const unclaimedCase = atenCapabilityRefusal(b.info.aten_capability);
  const withCpu = withInfo(b, { cpu: cpuProvenance(cpu) }, { ...b.capabilities, ops, ...(accumulator ? { accumulator } : {}), unclaimedCase });
  // a field the op does not take is refused before torch runs, as reference/ and impl/ refuse it (unread_fields_first.ts),
  // and a request beyond the contract's size limits too (too_large_first.ts: torch allocates it, or dies trying)
  return refusingTooLargeFirst(refusingUnreadFirst(withCpu));
}

function torchEngineBackend(engine: TorchEngine): BuiltinBackend {
  return {
    name: `torch-${engine}`,
    summary: `PyTorch 1.13 (${TORCH_PYTHON}) with torch.backends.quantized.engine = "${engine}"; schemes ${TORCH_1_13_SCHEME}, torch-${engine}@1`,
    waiverDir: dirname(fileURLToPath(import.meta.url)),
    cpus: ['host', 'haswell', 'nehalem'],
    defaultVectors: [TORCH_VECTORS_DIR, TORCH_LINEAR_VECTORS_DIR, TORCH_ADD_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH_CAT_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH_XNNPACK_ADD_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_MUL_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR],
    fuzzCatalog: torchFuzzCatalog(),
    // onednn's accumulator depends on the CPU (no VNNI: saturating int16 pairs): draws name the one it runs there
    ...(engine === 'onednn' ? { fuzzCatalogOn: (cpu: CpuModel) => onednnFuzzCatalog(cpu, cpuFlagsOn) } : {}),
    ...(engine === 'onednn' ? { vectorsByCpu: { haswell: TORCH_ONEDNN_HASWELL_VECTORS_DIR } } : {}),
    availability: (cpu = HOST_CPU) => (torchAvailable() ? cpuAvailability(cpu) : { available: false, reason: `${TORCH_PYTHON} cannot import torch`, install: TORCH_INSTALL_HINT }),
    create: (cpu?: CpuModel) => start(engine, cpu),
  };
}

export const torchQnnpackBackend = torchEngineBackend('qnnpack');
export const torchOnednnBackend = torchEngineBackend('onednn');
