/**
 * ONNX Runtime golden vectors (vectors/onnxruntime-1.30): `generate [--write]` runs every generated
 * QLinearConv case through onnxruntime-node and compares with (or rewrites) the committed files.
 *   npm run vectors:write:ort
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { ORT_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { ORT_ACCUMULATOR } from '../../conformance/backends/onnxruntime/qlinear_conv.js';
import { cpuFlags } from '../../conformance/runner/reports/run_info.js';
import { ORT_INSTALL_HINT, loadOrt, ortVersion, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { ORT_CATALOG, ORT_DEFAULT_SEED, ORT_GENERATOR_VERSION } from '../../conformance/cases/ort_catalog.js';

/** The CPU features that pick ORT's int8 kernels (VNNI, AVX-512, AMX), as /proc/cpuinfo lists them. */
const KERNEL_FLAGS = ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8'];

async function generate(o: { write?: boolean; seed: string; dir: string }): Promise<number> {
  const ort = await loadOrt();
  if (!ort) {
    console.error(`onnxruntime-node is not installed: ${ORT_INSTALL_HINT}`);
    return 2;
  }
  const groups = ORT_CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, o.seed) }));
  const responses = await runThroughOrt(ort, groups.flatMap((g) => g.requests));
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const present = new Set(cpuFlags());
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: ORT_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `onnxruntime-node ${ortVersion()} (CPU execution provider, 1 thread) via conformance/backends/onnxruntime/qlinear_conv.ts`,
    provenance: { cpu_flags: KERNEL_FLAGS.filter((f) => present.has(f)), cpu_model: cpus()[0]?.model ?? null, arch: arch(), conv_accumulator: ORT_ACCUMULATOR, node: process.version, generated_by: 'npm run vectors:write:ort' },
    files,
  };
  return writeOrCompareVectorSet(o.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('ort-vectors').description('qconform ONNX Runtime golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', ORT_DEFAULT_SEED)
  .option('--dir <dir>', 'vector directory', ORT_VECTORS_DIR)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
