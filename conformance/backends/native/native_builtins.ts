/**
 * Built-in backends over the native adapters of conformance/backends/native/: real XNNPACK (int8 convolutions) and
 * real gemmlowp (fixed-point requantization), each a C++ process speaking docs/protocol.md. The adapter is
 * built on first use when the Debian packages and g++ are installed; otherwise the backend reports itself
 * unavailable with the install command. Their claims (ops, schemes, dtypes, accumulator) come from the
 * adapter's handshake.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARM64_QEMU_ARGS, GEMMLOWP_ADAPTER, type NativeAdapter, XNNPACK_ADAPTER, XNNPACK_ARM64_ADAPTER, ensureBuilt, nativeAvailability } from './native_adapters.js';
import { GEMMLOWP_VECTORS_DIR, XNNPACK_ARM64_VECTORS_DIR, XNNPACK_VECTORS_DIR } from '../../vectors/vector_types.js';
import { type CpuModel, HOST_CPU, cpuAvailability, cpuProvenance, wrapCommand } from '../cpu/cpu_models.js';
import { withInfo } from '../cpu/with_cpu_info.js';
import { GEMMLOWP_CATALOG, XNNPACK_CATALOG } from '../../cases/native_catalog.js';
import type { Backend } from '../backend.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { refusingTooLargeFirst } from '../too_large_first.js';
import { refusingUnreadFirst } from '../unread_fields_first.js';

/** The adapter build a CPU model runs: the arm64 cross build on arm64 (when there is one), else the x86 build. */
function adapterFor(a: NativeAdapter, arm64: NativeAdapter | undefined, cpu: CpuModel): NativeAdapter {
  return cpu.arch === 'aarch64' && arm64 ? arm64 : a;
}

/**
 * A native adapter on the host, under qemu-x86_64 on an emulated x86 model, or (with an arm64 build) under
 * qemu-aarch64 on `--cpu arm64`. Availability needs both the adapter (or what builds it) and the CPU's QEMU.
 */
function nativeBackend(a: NativeAdapter, o: Pick<BuiltinBackend, 'summary' | 'defaultVectors' | 'fuzzCatalog' | 'cpus' | 'vectorsByCpu'>, arm64?: NativeAdapter): BuiltinBackend {
  return {
    name: a.name,
    ...o,
    waiverDir: dirname(fileURLToPath(import.meta.url)),
    availability: (cpu = HOST_CPU) => {
      const built = nativeAvailability(adapterFor(a, arm64, cpu));
      return built.available ? cpuAvailability(cpu) : built;
    },
    create: async (cpu = HOST_CPU): Promise<Backend> => {
      const adapter = adapterFor(a, arm64, cpu);
      const command = wrapCommand(cpu, ensureBuilt(adapter), [], adapter === arm64 ? ARM64_QEMU_ARGS : []);
      // a field the op does not take is refused before the library runs, as reference/ and impl/ refuse it (unread_fields_first.ts),
      // and so is a request beyond the contract's size limits, which the adapters would allocate (too_large_first.ts)
      return refusingTooLargeFirst(refusingUnreadFirst(withInfo(await SubprocessBackend.start(command), { cpu: cpuProvenance(cpu) })));
    },
  };
}

export const xnnpackBackend = nativeBackend(XNNPACK_ADAPTER, {
  summary:
    'XNNPACK (Debian libxnnpack-dev, 2022-02-16 snapshot) qs8/qc8/qu8 NHWC convolutions via conformance/backends/native/xnnpack_backend.cpp; scheme xnnpack-fp32@1 on x86; on --cpu arm64 (NEON, qemu-aarch64) xnnpack-rndnu@1 for qs8/qu8 and xnnpack-fp32@1 for qc8',
  defaultVectors: XNNPACK_VECTORS_DIR,
  fuzzCatalog: XNNPACK_CATALOG,
  cpus: ['host', 'haswell', 'nehalem', 'arm64'],
  vectorsByCpu: { arm64: XNNPACK_ARM64_VECTORS_DIR },
}, XNNPACK_ARM64_ADAPTER);

export const gemmlowpBackend = nativeBackend(GEMMLOWP_ADAPTER, {
  summary: "gemmlowp (Debian libgemmlowp-dev) fixed-point primitives composed as TFLite's MultiplyByQuantizedMultiplier, checked against its SSE4.1 output stage, via conformance/backends/native/gemmlowp_backend.cpp; requantize@1, scheme tflite-double-rounding@1",
  defaultVectors: GEMMLOWP_VECTORS_DIR,
  fuzzCatalog: GEMMLOWP_CATALOG,
});
