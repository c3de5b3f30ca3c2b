/**
 * torch 1.13 onednn vectors on an emulated CPU: `generate --cpu haswell [--write]` runs the onednn conv and linear
 * cases of conformance/cases/torch_cpu_catalog.ts through real torch under qemu-x86_64-static and compares with (or
 * rewrites) the committed set. Each case's `accumulator` is what it uses on that CPU (a conv's by its geometry, the
 * linears' oneDNN gemm's: conformance/backends/torch/onednn_accumulator.ts), from the CPUID flags the torch process reports.
 *   npm run vectors:write:torch-cpu -- --cpu haswell     vectors/torch-1.13-onednn-haswell
 *   npm run vectors:check:torch-cpu -- --cpu haswell     regenerate under emulation, byte-identical or exit 1
 */
import { Command } from 'commander';
import { TORCH_ONEDNN_HASWELL_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommand } from '../../conformance/backends/torch/torch_builtins.js';
import { torchOnednnRequestAccumulator } from '../../conformance/backends/torch/onednn_accumulator.js';
import { cpuAvailability, cpuModel, cpuProvenance, probeCpuid } from '../../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { TORCH_CPU_GENERATOR_VERSION, TORCH_ONEDNN_CPU_CATALOG, TORCH_ONEDNN_CPU_SEED, inTorchCpuSet } from '../../conformance/cases/torch_cpu_catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

const DIRS: Record<string, string> = { haswell: TORCH_ONEDNN_HASWELL_VECTORS_DIR };

async function generate(o: { write?: boolean; seed: string; dir?: string; cpu: string }): Promise<number> {
  const cpu = cpuModel(o.cpu);
  const dir = o.dir ?? DIRS[cpu.name];
  if (!dir) {
    console.error(`no torch onednn vector set for --cpu ${cpu.name} (sets: ${Object.keys(DIRS).join(', ')}); give --dir`);
    return 2;
  }
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const available = cpuAvailability(cpu);
  if (!available.available) {
    console.error(`--cpu ${cpu.name}: ${available.reason}. Install it with: ${available.install}`);
    return 2;
  }
  const probed = probeCpuid(cpu);
  const flags = Array.isArray(probed?.flags) ? (probed.flags as string[]) : [];
  const groups = TORCH_ONEDNN_CPU_CATALOG.map(({ op, count, factory }) => ({
    op,
    requests: generateRequests(op, count, factory, o.seed)
      .filter(inTorchCpuSet)
      .map((r) => ({ ...r, attrs: { ...r.attrs, accumulator: torchOnednnRequestAccumulator(flags, r) } })),
  }));
  const all = groups.flatMap((g) => g.requests);
  console.log(`running ${all.length} onednn convs and linears through PyTorch on --cpu ${cpu.name}...`);
  const { command, args } = torchCommand('onednn', cpu);
  const { handshake, responses } = await runThroughProcess({ label: `torch on ${cpu.name}`, command, args, startTimeoutMs: 300_000 }, all, (n) => console.log(`  ${n}/${all.length}`), 50);
  const seen = (handshake.info?.cpu_flags as string[] | undefined) ?? [];
  if (['avx2', 'avx512_vnni', 'avx_vnni'].some((f) => flags.includes(f) !== seen.includes(f))) {
    console.error(`the CPUID probe (${flags.join(' ')}) and torch's process (${seen.join(' ')}) disagree on --cpu ${cpu.name}`);
    return 1;
  }
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: TORCH_CPU_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${handshake.version} (Debian python3-torch) onednn via conformance/backends/torch/python/qconform_torch.py under ${cpu.qemu ? `${cpu.qemu.binary} -cpu ${cpu.qemu.cpu}` : 'the host'}`,
    provenance: { ...handshake.info, cpu: cpuProvenance(cpu), torch_version: handshake.version, conv_accumulator: 'per case (conformance/backends/torch/onednn_accumulator.ts)', linear_accumulator: 'per case (torchLinearAccumulator: oneDNN gemm)', generated_by: `npm run vectors:write:torch-cpu -- --cpu ${cpu.name}` },
    files,
  };
  return writeOrCompareVectorSet(dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch-cpu-vectors').description('torch 1.13 onednn golden vectors on an emulated CPU');
program
  .command('generate')
  .requiredOption('--cpu <model>', `the emulated CPU (${Object.keys(DIRS).join(', ')})`)
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', TORCH_ONEDNN_CPU_SEED)
  .option('--dir <dir>', "vector directory (default: the CPU's set)")
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
