/**
 * TOSA golden vectors (vectors/tosa-mlir-19): `generate [--write]` runs every generated requantize@1 and conv
 * through MLIR 19's lowering of TOSA (mlir-opt-19, mlir-cpu-runner-19; batched, one function per case) and
 * compares with (or rewrites) the committed files.
 *   npm run vectors:write:tosa
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { TOSA_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { MLIR_INSTALL, TOSA_PIPELINE, mlirToolsMissing, mlirVersion } from '../../conformance/backends/tosa/mlir_tools.js';
import { TOSA_ACCUMULATOR } from '../../conformance/backends/tosa/tosa_builtin.js';
import { runTosaRequests } from '../../conformance/backends/tosa/tosa_programs.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { TOSA_CATALOG, TOSA_DEFAULT_SEED, TOSA_GENERATOR_VERSION } from '../../conformance/cases/tosa_catalog.js';

async function generate(o: { write?: boolean; seed: string; dir: string }): Promise<number> {
  const missing = mlirToolsMissing();
  if (missing) {
    console.error(`MLIR 19 tools are missing (${missing}): ${MLIR_INSTALL}`);
    return 2;
  }
  const version = mlirVersion();
  const groups = TOSA_CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, o.seed) }));
  const responses = await runTosaRequests(groups.flatMap((g) => g.requests));
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: TOSA_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `MLIR ${version} TOSA lowering (mlir-opt-19, mlir-cpu-runner-19; not the TOSA reference model) via conformance/backends/tosa/`,
    provenance: {
      ops: { 'requantize@1': 'tosa.rescale', 'quantized_conv2d@1': 'tosa.conv2d | tosa.depthwise_conv2d (per group: tosa.slice + tosa.concat) -> tosa.rescale [-> tosa.clamp]' },
      pipeline: TOSA_PIPELINE,
      cpu_model: cpus()[0]?.model ?? null,
      arch: arch(),
      conv_accumulator: TOSA_ACCUMULATOR,
      node: process.version,
      generated_by: 'npm run vectors:write:tosa',
    },
    files,
  };
  return writeOrCompareVectorSet(o.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('tosa-vectors').description('qconform TOSA (MLIR 19) golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', TOSA_DEFAULT_SEED)
  .option('--dir <dir>', 'vector directory', TOSA_VECTORS_DIR)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
