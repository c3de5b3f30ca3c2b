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
import { TORCH26_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH26_HARDSIGMOID_VECTORS_DIR, TORCH26_HARDSWISH_VECTORS_DIR, TORCH26_MUL_VECTORS_DIR, TORCH26_ADD_VECTORS_DIR, TORCH26_AVG_POOL_VECTORS_DIR, TORCH26_CAT_VECTORS_DIR, TORCH26_LINEAR_VECTORS_DIR, TORCH26_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR } from '../../vectors/vector_set.js';
import { type TorchEngine, torchUniformAccumulator } from './onednn_accumulator.js';
import { TORCH26_ATEN_CAPABILITY, TORCH26_ROOT, torch26Availability, torch26Command } from './torch26_chroot.js';
import { withInfo } from '../cpu/with_cpu_info.js';
import type { WireRequest } from '../../protocol/messages.js';
import { onednn37UnwrittenReadsOf } from './onednn37_unwritten_reads.js';
import { atenCapabilityRefusal } from './torch_builtins.js';
import { HOST_CPU, type CpuModel } from '../cpu/cpu_models.js';
import { cpuFlagsOn } from '../cpu/cpu_flags_on.js';
import { torch26FuzzCatalog } from './torch26_fuzz_catalog.js';
import { refusingTooLargeFirst } from '../too_large_first.js';
import { refusingUnreadFirst } from '../unread_fields_first.js';

/** The conv scheme of each engine in torch 2.6: qnnpack as in 1.13, onednn (oneDNN 3.7) its own (contract/conv.ts). */
export const TORCH26_CONV_SCHEMES: Readonly<Record<TorchEngine, string>> = { qnnpack: 'torch-qnnpack@1', onednn: 'torch-onednn@2' };

/**
 * Why torch 2.6's onednn engine's answer to `request` is not claimed, or null when it is: oneDNN 3.7's brgemm conv
 * reads memory it never wrote on the convs of onednn37UnwrittenReads (onednn37_unwritten_reads.ts: one output column
 * over several rows with stride_w > 1, or a kernel window wholly in the padding with x_zero_point != 0), so their
 * outputs follow the allocator's leftovers, not the inputs. Measured on a Sapphire Rapids-class Xeon both in its AMX
 * kernels and in the AVX-512 VNNI ones (ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI: 18 of 3,877 draws differ, all within the
 * rule); the faulty steps are in the brgemm conv's own code, not in one ISA's kernel, so they are left out on every CPU
 * (239 of vectors/torch-2.6's 1,200 onednn convs), although on the AMD EPYC that wrote vectors/torch-2.6 all 1,200 came
 * out right (its fresh memory held what the set expects); on a Zen 4 EPYC two of them (01851, 02185) come out
 * otherwise. Every other onednn conv is claimed: on the Xeon none of them
 * differed from torch-onednn@2 (the other 961 of vectors/torch-2.6; 2,986 and 3,045 fresh draws of seeds amx-probe-2
 * and -3, each run three times under different heap contents).
 */
export function torch26OnednnConvRefusal(request: WireRequest): string | null {
  if (request.op !== 'quantized_conv2d@1' || request.attrs?.scheme !== TORCH26_CONV_SCHEMES.onednn) return null;
  const why = onednn37UnwrittenReadsOf(request);
  return why ? `${why}, so its outputs are not a function of the inputs (onednn37_unwritten_reads.ts)` : null;
}

async function start(engine: TorchEngine): Promise<Backend> {
  // the @1 ops keep the torch 1.13 scheme name: vectors/torch-2.6 shows 2.6 computes them identically
  const b = await SubprocessBackend.start(torch26Command(engine), { defaultCapabilities: { schemes: [TORCH_1_13_SCHEME, TORCH26_CONV_SCHEMES[engine]] }, startTimeoutMs: 120_000 });
  const flags = Array.isArray(b.info.cpu_flags) ? (b.info.cpu_flags as string[]) : [];
  const accumulator = torchUniformAccumulator(engine, flags);
  // the adds of another ATen capability than the process's (TORCH26_ATEN_CAPABILITY), and onednn's convs it leaves out
  const otherCapability = atenCapabilityRefusal(b.info.aten_capability);
  const unclaimedCase = (request: WireRequest) => otherCapability(request) ?? (engine === 'onednn' ? torch26OnednnConvRefusal(request) : null);
  const capabilities = { ...b.capabilities, ...(accumulator ? { accumulator } : {}), unclaimedCase };
  const withChroot = withInfo(b, { chroot: TORCH26_ROOT, aten_cpu_capability_env: TORCH26_ATEN_CAPABILITY }, capabilities);
  // a field the op does not take is refused before torch runs, as reference/ and impl/ refuse it (unread_fields_first.ts),
  // and a request beyond the contract's size limits too (too_large_first.ts)
  return refusingTooLargeFirst(refusingUnreadFirst(withChroot));
}

function torch26EngineBackend(engine: TorchEngine): BuiltinBackend {
  return {
    name: `torch26-${engine}`,
    summary: `PyTorch 2.6 (Debian 13 chroot) with torch.backends.quantized.engine = "${engine}"; schemes ${TORCH_1_13_SCHEME}, ${TORCH26_CONV_SCHEMES[engine]}; the @2 ops of torch 2.x`,
    waiverDir: dirname(fileURLToPath(import.meta.url)),
    // its adds, cats, average pools, Hardswish, Hardsigmoid and muls of its process's capability (TORCH26_ATEN_CAPABILITY), and torch 1.13's adaptive
    // pools and QNNPACK's adds, average pools, global average pools (means), Hardswish and Hardsigmoid, which 2.6 answers alike (not the qint8 adds of vectors/torch-1.13-xnnpack-add:
    // its outputs are alike, but Debian 13's XNNPACK refuses other scales, some by an assertion that aborts the process)
    defaultVectors: [TORCH26_VECTORS_DIR, TORCH26_LINEAR_VECTORS_DIR, TORCH26_ADD_VECTORS_DIR, TORCH26_CAT_VECTORS_DIR, TORCH26_AVG_POOL_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH26_HARDSWISH_VECTORS_DIR, TORCH26_HARDSIGMOID_VECTORS_DIR, TORCH26_MUL_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH26_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR],
    // convs and linears on this engine, with the accumulator it claims on the CPU (torch26_fuzz_catalog.ts)
    fuzzCatalog: torch26FuzzCatalog(engine, HOST_CPU, cpuFlagsOn),
    fuzzCatalogOn: (cpu: CpuModel) => torch26FuzzCatalog(engine, cpu, cpuFlagsOn),
    availability: () => torch26Availability(),
    create: () => start(engine),
  };
}

export const torch26QnnpackBackend = torch26EngineBackend('qnnpack');
export const torch26OnednnBackend = torch26EngineBackend('onednn');
