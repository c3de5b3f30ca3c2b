/**
 * ONNX Runtime (onnxruntime-node from npm), running the ops registered in onnxruntime_ops.ts: in process on
 * the host, or as a child process (ort_process.ts) under QEMU on an emulated CPU (`--cpu haswell|nehalem`).
 * The accumulator it claims follows the CPUID flags its process sees (ort_accumulator.ts): one for every conv
 * with VNNI or SSE4 only; none on AVX2 without VNNI, whose vector set states it per case.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../backend.js';
import { ONNX_TESTDATA_VECTORS_DIR, ORT_HASWELL_VECTORS_DIR, ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, ORT_QDQ_VECTORS_DIR, ORT_VECTORS_DIR } from '../../vectors/vector_types.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { type CpuModel, HOST_CPU, cpuAvailability, cpuProvenance } from '../cpu/cpu_models.js';
import { cpuFlagsOn, cpuFlagsWithCpuid } from '../cpu/cpu_flags_on.js';
import { withInfo } from '../cpu/with_cpu_info.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import { ortKernelLevel, ortUniformAccumulator } from './ort_accumulator.js';
import { ORT_OPS, ORT_SCHEMES } from './onnxruntime_ops.js';
import { ortProcessCommand } from './ort_process.js';
import { ortVersion } from './ort_oracle.js';
import { ORT_FUZZ_CATALOG } from '../../cases/fuzz_catalogs.js';
import { ortFuzzCatalog } from './ort_fuzz_catalog.js';
import { importOrt } from './import_ort.js';
import { refusingTooLargeFirst } from '../too_large_first.js';

const require = createRequire(import.meta.url);
const INSTALL = 'npm install onnxruntime-node';

function ortPackageJson(): string | null {
  try {
    return require.resolve('onnxruntime-node/package.json');
  } catch {
    return null;
  }
}


async function inProcess(): Promise<Backend> {
  const ort = await importOrt();
  const version = ortVersion();
  return {
    name: 'onnxruntime',
    version,
    capabilities: { ops: Object.keys(ORT_OPS), schemes: ORT_SCHEMES },
    info: { package: 'onnxruntime-node', version },
    run: (request) => {
      const runner = ORT_OPS[request.op];
      if (!runner) return { id: request.id, error: { code: 'unknown_op', message: `onnxruntime backend has no runner for ${request.op}` } };
      return runner(ort, request);
    },
  };
}

async function create(cpu: CpuModel = HOST_CPU): Promise<Backend> {
  const { flags, cpuid } = cpuFlagsWithCpuid(cpu);
  const level = ortKernelLevel(flags);
  const accumulator = ortUniformAccumulator(level);
  const base = cpu.qemu ? await SubprocessBackend.start(await ortProcessCommand(cpu)) : await inProcess();
  const info = { cpu: { ...cpuProvenance(cpu), cpuid_flags: flags, cpuid_source: cpu.qemu ? 'cpuid_probe.py under the same emulation' : '/proc/cpuinfo', ...(cpuid ? { cpuid } : {}) }, mlas_int8_level: level };
  // a request beyond the contract's size limits is refused before ORT allocates it (too_large_first.ts): in process, an
  // allocation ORT's arena takes would be this process's memory
  return refusingTooLargeFirst(withInfo(base, info, { ...base.capabilities, ...(accumulator ? { accumulator } : {}) }));
}

export const onnxruntimeBackend: BuiltinBackend = {
  name: 'onnxruntime',
  summary: `ONNX Runtime via onnxruntime-node; ops: ${Object.keys(ORT_OPS).join(', ')}`,
  // every op it claims: QLinearConv, the QDQ ops, the integer matmul/conv and com.microsoft ops, the ONNX node tests
  defaultVectors: [ORT_VECTORS_DIR, ORT_QDQ_VECTORS_DIR, ORT_OPS_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR],
  fuzzCatalog: ORT_FUZZ_CATALOG,
  // each draw's accumulator, softmax_kernel and qnbit_kernel set to what ORT computes on the CPU (ort_fuzz_catalog.ts, ort_cpu_attrs.ts)
  fuzzCatalogOn: (cpu) => ortFuzzCatalog(cpu, cpuFlagsOn),
  cpus: ['host', 'haswell', 'nehalem'],
  // AVX2 without VNNI: the u8 x s8 GEMM pairs products (sat16_pairs_im2col); the QDQ ops and node tests do not depend on it
  vectorsByCpu: { haswell: [ORT_HASWELL_VECTORS_DIR, ORT_QDQ_VECTORS_DIR, ORT_OPS_HASWELL_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR] },
  waiverDir: dirname(fileURLToPath(import.meta.url)),
  availability: (cpu = HOST_CPU) => (ortPackageJson() ? cpuAvailability(cpu) : { available: false, reason: 'onnxruntime-node is not installed', install: INSTALL }),
  create,
};
