/**
 * ONNX Runtime golden vectors: `generate [--write] [--cpu <model>]` runs every generated QLinearConv case
 * through onnxruntime-node and compares with (or rewrites) the committed files.
 *   npm run vectors:write:ort                      vectors/onnxruntime-1.30 (the host: AVX512-VNNI when written)
 *   npm run vectors:write:ort -- --cpu haswell     vectors/onnxruntime-1.30-haswell (ORT under qemu -cpu Haswell)
 * Same generator and seed on every CPU; each case's `accumulator` is what its route uses on that CPU
 * (conformance/backends/onnxruntime/ort_accumulator.ts, from the CPUID flags ORT's process sees).
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { ORT_HASWELL_VECTORS_DIR, ORT_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { ORT_INSTALL_HINT, loadOrt, ortVersion, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ortAccumulator, ortKernelLevel, ortUniformAccumulator } from '../../conformance/backends/onnxruntime/ort_accumulator.js';
import { cpuFlagsWithCpuid } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { type CpuModel, cpuAvailability, cpuModel, cpuProvenance } from '../../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { leftOutProvenance, toVectorGroups, withoutNotRun } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { ORT_CATALOG, ORT_DEFAULT_SEED, ORT_GENERATOR_VERSION } from '../../conformance/cases/ort_catalog.js';

/** The CPU features that pick ORT's int8 kernels (VNNI, AVX-512, AMX). */
const KERNEL_FLAGS = ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8'];

/** Each CPU's vector set (a CPU computing what the host computes has none of its own). */
const DIRS: Record<string, string> = { host: ORT_VECTORS_DIR, haswell: ORT_HASWELL_VECTORS_DIR };

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
    console.error(`no ONNX Runtime vector set for --cpu ${cpu.name} (sets: ${Object.keys(DIRS).join(', ')}); give --dir`);
    return 2;
  }
  const available = cpuAvailability(cpu);
  if (!available.available) {
    console.error(`--cpu ${cpu.name}: ${available.reason}. Install it with: ${available.install}`);
    return 2;
  }
  const { flags, cpuid } = cpuFlagsWithCpuid(cpu);
  const level = ortKernelLevel(flags);
  const groups = ORT_CATALOG.map(({ op, count, factory }) => ({
    op,
    requests: generateRequests(op, count, factory, o.seed).map((r) => ({ ...r, attrs: { ...r.attrs, accumulator: ortAccumulator(level, r) } })),
  }));
  const run = withoutNotRun(groups, await runOn(cpu, groups.flatMap((g) => g.requests)));
  for (const { id, notRun } of run.leftOut) console.log(`left out ${id}: ${notRun}`);
  const { texts, files } = assembleVectorFiles(toVectorGroups(run.groups, run.responses));
  const present = new Set(flags);
  const emulated = cpu.qemu ? { cpu: { ...cpuProvenance(cpu), cpuid_brand: cpuid?.brand ?? null }, mlas_int8_level: level } : {};
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: ORT_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `onnxruntime-node ${ortVersion()} (CPU execution provider, 1 thread) via conformance/backends/onnxruntime/qlinear_conv.ts${cpu.qemu ? ` under ${cpu.qemu.binary} -cpu ${cpu.qemu.cpu}` : ''}`,
    provenance: {
      cpu_flags: KERNEL_FLAGS.filter((f) => present.has(f)),
      ...emulated,
      cpu_model: cpus()[0]?.model ?? null,
      arch: arch(),
      conv_accumulator: ortUniformAccumulator(level) ?? 'per case (conformance/backends/onnxruntime/ort_accumulator.ts): sat16_pairs_im2col for uint8 activations not depthwise, else int32_wrap',
      node: process.version,
      generated_by: `npm run vectors:write:ort${cpu.qemu ? ` -- --cpu ${cpu.name}` : ''}`,
      ...leftOutProvenance(run.leftOut),
    },
    files,
  };
  return writeOrCompareVectorSet(dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('ort-vectors').description('qconform ONNX Runtime golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', ORT_DEFAULT_SEED)
  .option('--cpu <model>', `the CPU ORT runs on (host, or emulated under QEMU: ${Object.keys(DIRS).filter((c) => c !== 'host').join(', ')})`)
  .option('--dir <dir>', "vector directory (default: the CPU's set)")
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
