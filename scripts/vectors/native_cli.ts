/**
 * Golden vectors from the native adapters (conformance/backends/native/): `generate xnnpack|gemmlowp [--write]`
 * runs every generated case through the real library and compares with (or rewrites) the committed set.
 *   npm run vectors:write:xnnpack    vectors/xnnpack-2022 (quantized_conv2d@1 through XNNPACK)
 *   npm run vectors:write:gemmlowp   vectors/gemmlowp     (requantize@1 through gemmlowp)
 *   npm run vectors:write:xnnpack -- --cpu arm64   vectors/xnnpack-2022-arm64 (Debian's arm64 XNNPACK under qemu-aarch64;
 *                                    each case's scheme per operator, conformance/backends/native/xnnpack_schemes.ts)
 * The adapter is built first when needed; the manifest records the package version and CPU flags from
 * its handshake.
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { ARM64_QEMU_ARGS, GEMMLOWP_ADAPTER, type NativeAdapter, XNNPACK_ADAPTER, XNNPACK_ARM64_ADAPTER, ensureBuilt, nativeAvailability } from '../../conformance/backends/native/native_adapters.js';
import { xnnpackScheme } from '../../conformance/backends/native/xnnpack_schemes.js';
import { cpuAvailability, cpuModel, cpuProvenance, wrapCommand } from '../../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { GEMMLOWP_VECTORS_DIR, type Manifest, XNNPACK_ARM64_VECTORS_DIR, XNNPACK_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { GEMMLOWP_CATALOG, GEMMLOWP_DEFAULT_SEED, NATIVE_GENERATOR_VERSION, type NativeCatalogEntry, XNNPACK_ARM64_CATALOG, XNNPACK_CATALOG, XNNPACK_DEFAULT_SEED } from '../../conformance/cases/native_catalog.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

interface NativeVectorSet {
  readonly adapter: NativeAdapter;
  readonly catalog: readonly NativeCatalogEntry[];
  readonly seed: string;
  readonly dir: string;
  readonly oracle: string;
  /** restates each generated request for this set (the arm64 set's scheme per operator) */
  readonly restate?: (r: WireRequest) => WireRequest;
  readonly qemuArgs?: readonly string[];
}

const SETS: Record<string, NativeVectorSet> = {
  xnnpack: {
    adapter: XNNPACK_ADAPTER,
    catalog: XNNPACK_CATALOG,
    seed: XNNPACK_DEFAULT_SEED,
    dir: XNNPACK_VECTORS_DIR,
    oracle: 'XNNPACK qs8/qc8/qu8 NHWC convolutions (1 thread) via conformance/backends/native/xnnpack_backend.cpp',
  },
  'xnnpack@arm64': {
    adapter: XNNPACK_ARM64_ADAPTER,
    catalog: XNNPACK_ARM64_CATALOG,
    seed: XNNPACK_DEFAULT_SEED,
    dir: XNNPACK_ARM64_VECTORS_DIR,
    oracle: 'XNNPACK qs8/qc8/qu8 NHWC convolutions (1 thread, arm64 NEON) via conformance/backends/native/xnnpack_backend.cpp',
    restate: (r) => ({ ...r, attrs: { ...r.attrs, scheme: xnnpackScheme('aarch64', r) } }),
    qemuArgs: ARM64_QEMU_ARGS,
  },
  gemmlowp: {
    adapter: GEMMLOWP_ADAPTER,
    catalog: GEMMLOWP_CATALOG,
    seed: GEMMLOWP_DEFAULT_SEED,
    dir: GEMMLOWP_VECTORS_DIR,
    oracle: "gemmlowp fixedpoint.h (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT) as TFLite's MultiplyByQuantizedMultiplier via conformance/backends/native/gemmlowp_backend.cpp",
  },
};

async function generate(name: string, o: { write?: boolean; seed?: string; dir?: string; cpu?: string }): Promise<number> {
  const cpu = cpuModel(o.cpu);
  const key = cpu.arch === 'aarch64' ? `${name}@arm64` : name;
  const set = SETS[key];
  if (!set) {
    console.error(`unknown vector set ${name}${o.cpu ? ` on --cpu ${o.cpu}` : ''} (${Object.keys(SETS).join(', ')})`);
    return 2;
  }
  const availability = nativeAvailability(set.adapter);
  const emulation = cpuAvailability(cpu);
  if (!availability.available || !emulation.available) {
    const why = availability.available ? emulation : availability;
    if (!why.available) console.error(`${name} is not available here: ${why.reason}. Install it with: ${why.install}`);
    return 2;
  }
  const seed = o.seed ?? set.seed;
  const restate = set.restate ?? ((r: WireRequest) => r);
  const groups = set.catalog.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, seed).map(restate) }));
  const oracle = { label: `${name} adapter`, ...wrapCommand(cpu, ensureBuilt(set.adapter), [], set.qemuArgs ?? []), startTimeoutMs: 60_000 };
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
      ...(cpu.qemu ? { cpu: cpuProvenance(cpu) } : {}),
      cpu_model: cpus()[0]?.model ?? null,
      // the adapter's own architecture when it reports one (arm64 for the build run under qemu-aarch64), else Node's
      arch: typeof handshake.info?.arch === 'string' ? handshake.info.arch : arch(),
      node: process.version,
      generated_by: `npm run vectors:write:${name}${cpu.qemu ? ` -- --cpu ${cpu.name}` : ''}`,
    },
    files,
  };
  return writeOrCompareVectorSet(o.dir ?? set.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('native-vectors').description('qconform golden vectors from the native adapters (XNNPACK, gemmlowp)');
program
  .command('generate <set>')
  .description('regenerate a set (xnnpack, gemmlowp) through the real library; compare, or --write')
  .option('--cpu <model>', 'the CPU the adapter runs on: host (default), an emulated x86 model, or arm64 (xnnpack: its arm64 build and set)')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed (default: the set\'s)')
  .option('--dir <dir>', 'vector directory (default: the set\'s)')
  .action(async (name: string, o) => {
    process.exitCode = await generate(name, o);
  });
await program.parseAsync();
