/**
 * ONNX Runtime golden vectors of the ONNX integer ops (conformance/cases/ort_ops_catalog.ts): `generate [--write]
 * [--cpu <model>]` runs every generated case through onnxruntime-node and compares with (or rewrites) the set.
 *   npm run vectors:write:ort-ops                     vectors/onnxruntime-1.30-ops (the host: AVX512-VNNI when written)
 *   npm run vectors:write:ort-ops -- --cpu haswell    vectors/onnxruntime-1.30-ops-haswell (ORT under qemu -cpu Haswell)
 * Each case's CPU-dependent attributes (`accumulator`, QAttention's `softmax_kernel`, MatMulNBits' `qnbit_kernel`) are
 * what ORT computes on that CPU (conformance/backends/onnxruntime/ort_cpu_attrs.ts ortCpuAttrs, shared with `--fuzz`).
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { ORT_INSTALL_HINT, loadOrt, ortVersion, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ortKernelLevel } from '../../conformance/backends/onnxruntime/ort_accumulator.js';
import { ortCpuAttrs } from '../../conformance/backends/onnxruntime/ort_cpu_attrs.js';
import { cpuFlagsWithCpuid } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { type CpuModel, cpuAvailability, cpuModel, cpuProvenance } from '../../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { leftOutProvenance, toVectorGroups, withoutNotRun } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { ORT_OPS_CATALOG, ORT_OPS_DEFAULT_SEED, ORT_OPS_GENERATOR_VERSION } from '../../conformance/cases/ort_ops_catalog.js';

const KERNEL_FLAGS = ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8'];

/** Each CPU's set; the haswell set takes every `HASWELL_STRIDE`-th case (QEMU is slow). */
const DIRS: Record<string, string> = { host: ORT_OPS_VECTORS_DIR, haswell: ORT_OPS_HASWELL_VECTORS_DIR };
const HASWELL_STRIDE = 4;

async function runOn(cpu: CpuModel, requests: readonly WireRequest[]): Promise<WireResponse[]> {
  if (!cpu.qemu) {
    const ort = await loadOrt();
    if (!ort) throw new Error(`onnxruntime-node is not installed: ${ORT_INSTALL_HINT}`);
    return runThroughOrt(ort, requests);
  }
  const { command, args } = await ortProcessCommand(cpu);
  return (await runThroughProcess({ label: `onnxruntime on ${cpu.name}`, command, args, startTimeoutMs: 120_000 }, requests)).responses;
}

async function generate(o: { write?: boolean; seed: string; dir?: string; cpu?: string }): Promise<number> {
  const cpu = cpuModel(o.cpu);
  const dir = o.dir ?? DIRS[cpu.name];
  if (!dir) {
    console.error(`no ONNX Runtime integer-ops vector set for --cpu ${cpu.name} (sets: ${Object.keys(DIRS).join(', ')}); give --dir`);
    return 2;
  }
  const available = cpuAvailability(cpu);
  if (!available.available) {
    console.error(`--cpu ${cpu.name}: ${available.reason}. Install it with: ${available.install}`);
    return 2;
  }
  const { flags, cpuid } = cpuFlagsWithCpuid(cpu);
  const level = ortKernelLevel(flags);
  const stride = cpu.qemu ? HASWELL_STRIDE : 1;
  const groups = ORT_OPS_CATALOG.map(({ op, count, factory }) => ({
    op,
    requests: generateRequests(op, count, factory, o.seed)
      .filter((_, i) => i % stride === 0)
      // a kernel not modelled on this CPU fails the set: it is never written with the host's kernels
      .map((r) => ortCpuAttrs(r, flags, { unmodelled: 'throw' })),
  }));
  const run = withoutNotRun(groups, await runOn(cpu, groups.flatMap((g) => g.requests)));
  for (const { id, notRun } of run.leftOut) console.log(`left out ${id}: ${notRun}`);
  const { texts, files } = assembleVectorFiles(toVectorGroups(run.groups, run.responses));
  const present = new Set(flags);
  const emulated = cpu.qemu ? { cpu: { ...cpuProvenance(cpu), cpuid_brand: cpuid?.brand ?? null }, mlas_int8_level: level, cases: `every ${stride}th case of the host set's generator` } : {};
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: ORT_OPS_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `onnxruntime-node ${ortVersion()} (CPU execution provider, 1 thread) via conformance/backends/onnxruntime/onnx_qops_ort.ts${cpu.qemu ? ` under ${cpu.qemu.binary} -cpu ${cpu.qemu.cpu}` : ''}`,
    provenance: {
      cpu_flags: KERNEL_FLAGS.filter((f) => present.has(f)),
      ...emulated,
      cpu_model: cpus()[0]?.model ?? null,
      arch: arch(),
      gemm_accumulator: 'per case (conformance/backends/onnxruntime/ort_cpu_paths.ts ortGemmPath)',
      node: process.version,
      generated_by: `npm run vectors:write:ort-ops${cpu.qemu ? ` -- --cpu ${cpu.name}` : ''}`,
      ...leftOutProvenance(run.leftOut),
    },
    files,
  };
  return writeOrCompareVectorSet(dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('ort-ops-vectors').description('qconform ONNX Runtime integer-op golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', ORT_OPS_DEFAULT_SEED)
  .option('--cpu <model>', `the CPU ORT runs on (host, or emulated under QEMU: ${Object.keys(DIRS).filter((c) => c !== 'host').join(', ')})`)
  .option('--dir <dir>', "vector directory (default: the CPU's set)")
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
