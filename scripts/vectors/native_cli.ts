/**
 * Golden vectors from the native adapters (conformance/backends/native/): `generate xnnpack|gemmlowp [--write]`
 * runs every generated case through the real library and compares with (or rewrites) the committed set.
 *   npm run vectors:write:xnnpack    vectors/xnnpack-2022 (quantized_conv2d@1 through XNNPACK)
 *   npm run vectors:write:gemmlowp   vectors/gemmlowp     (requantize@1 through gemmlowp)
 * The adapter is built first when needed; the manifest records the package version and CPU flags from
 * its handshake.
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { GEMMLOWP_ADAPTER, type NativeAdapter, XNNPACK_ADAPTER, ensureBuilt, nativeAvailability } from '../../conformance/backends/native/native_adapters.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { GEMMLOWP_VECTORS_DIR, type Manifest, XNNPACK_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { GEMMLOWP_CATALOG, GEMMLOWP_DEFAULT_SEED, NATIVE_GENERATOR_VERSION, type NativeCatalogEntry, XNNPACK_CATALOG, XNNPACK_DEFAULT_SEED } from '../../conformance/cases/native_catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

interface NativeVectorSet {
  readonly adapter: NativeAdapter;
  readonly catalog: readonly NativeCatalogEntry[];
  readonly seed: string;
  readonly dir: string;
  readonly oracle: string;
}

const SETS: Record<string, NativeVectorSet> = {
  xnnpack: {
    adapter: XNNPACK_ADAPTER,
    catalog: XNNPACK_CATALOG,
    seed: XNNPACK_DEFAULT_SEED,
    dir: XNNPACK_VECTORS_DIR,
    oracle: 'XNNPACK qs8/qc8/qu8 NHWC convolutions (1 thread) via conformance/backends/native/xnnpack_backend.cpp',
  },
  gemmlowp: {
    adapter: GEMMLOWP_ADAPTER,
    catalog: GEMMLOWP_CATALOG,
    seed: GEMMLOWP_DEFAULT_SEED,
    dir: GEMMLOWP_VECTORS_DIR,
    oracle: "gemmlowp fixedpoint.h (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT) as TFLite's MultiplyByQuantizedMultiplier via conformance/backends/native/gemmlowp_backend.cpp",
  },
};

async function generate(name: string, o: { write?: boolean; seed?: string; dir?: string }): Promise<number> {
  const set = SETS[name];
  if (!set) {
    console.error(`unknown vector set ${name} (${Object.keys(SETS).join(', ')})`);
    return 2;
  }
  const availability = nativeAvailability(set.adapter);
  if (!availability.available) {
    console.error(`${name} is not available here: ${availability.reason}. Install it with: ${availability.install}`);
    return 2;
  }
  const seed = o.seed ?? set.seed;
  const groups = set.catalog.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, seed) }));
  const oracle = { label: `${name} adapter`, command: ensureBuilt(set.adapter), args: [], startTimeoutMs: 60_000 };
  const { handshake, responses } = await runThroughProcess(oracle, groups.flatMap((g) => g.requests));
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: NATIVE_GENERATOR_VERSION,
    seed,
    oracle: `${handshake.version} ${set.oracle}`,
    provenance: {
      package_version: handshake.version,
      ...handshake.info,
      claims: handshake.capabilities ?? null,
      cpu_model: cpus()[0]?.model ?? null,
      arch: arch(),
      node: process.version,
      generated_by: `npm run vectors:write:${name}`,
    },
    files,
  };
  return writeOrCompareVectorSet(o.dir ?? set.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('native-vectors').description('qconform golden vectors from the native adapters (XNNPACK, gemmlowp)');
program
  .command('generate <set>')
  .description(`regenerate a set (${Object.keys(SETS).join(', ')}) through the real library; compare, or --write`)
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed (default: the set\'s)')
  .option('--dir <dir>', 'vector directory (default: the set\'s)')
  .action(async (name: string, o) => {
    process.exitCode = await generate(name, o);
  });
await program.parseAsync();
