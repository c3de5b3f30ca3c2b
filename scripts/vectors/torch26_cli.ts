/**
 * torch 2.6 golden vectors: `generate [--write]` runs the torch 2.6 catalogue (conformance/cases/torch26_catalog.ts)
 * through real PyTorch 2.6 in its chroot (conformance/backends/torch/torch26_chroot.ts) and compares with (or
 * rewrites) vectors/torch-2.6.
 *   npm run vectors:write:torch26     rewrite vectors/torch-2.6, except the cases the check keeps (below): their committed
 *                                     outputs are kept, each named with torch's answer (keepKnownDeviations)
 *   npm run vectors:check:torch26     regenerate through torch 2.6, byte-identical or exit 1; a differing case is named
 *                                     with its differing elements, and an onednn conv torch26-onednn does not claim
 *                                     whose committed outputs are torch-onednn@2's is reported as such and kept
 *                                     (torch26_kept_deviation.ts: its torch output is not a function of the inputs)
 * With --linear, the same for vectors/torch-2.6-linear (the torch 1.13 linear requests, torch26LinearRequests):
 *   npm run vectors:write:torch26-linear / vectors:check:torch26-linear
 */
import { Command } from 'commander';
import { TORCH26_LINEAR_VECTORS_DIR, TORCH26_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH26_ATEN_CAPABILITY, torch26Availability, torch26Command } from '../../conformance/backends/torch/torch26_chroot.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { TORCH26_GENERATOR_VERSION, TORCH26_SEED, torch26LinearRequests, torch26Requests } from '../../conformance/cases/torch26_catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { compareRegeneratedSet, keepKnownDeviations } from '../../conformance/vectors/regeneration_diff.js';
import { torch26KeptDeviation } from '../../conformance/backends/torch/torch26_kept_deviation.js';
import { TORCH_LINEAR_GENERATOR_VERSION, TORCH_LINEAR_SEED } from '../../conformance/cases/torch_linear_catalog.js';

/** The two torch 2.6 sets: the catalogue's, and the linears'. */
const SETS = {
  catalog: { dir: TORCH26_VECTORS_DIR, seed: TORCH26_SEED, version: TORCH26_GENERATOR_VERSION, requests: torch26Requests, script: 'vectors:write:torch26', note: '' },
  linear: { dir: TORCH26_LINEAR_VECTORS_DIR, seed: TORCH_LINEAR_SEED, version: TORCH_LINEAR_GENERATOR_VERSION, requests: torch26LinearRequests, script: 'vectors:write:torch26-linear', note: ", each request on its scheme's engine" },
} as const;

async function generate(o: { write?: boolean; seed?: string; dir?: string; linear?: boolean }): Promise<number> {
  const set = SETS[o.linear ? 'linear' : 'catalog'];
  const seed = o.seed ?? set.seed;
  const available = torch26Availability();
  if (!available.available) {
    console.error(`torch 2.6: ${available.reason}. Set it up with: ${available.install}`);
    return 2;
  }
  const groups = set.requests(seed);
  const all = groups.flatMap((g) => g.requests);
  console.log(`running ${all.length} cases through PyTorch 2.6...`);
  const { command, args } = torch26Command(null);
  const { handshake, responses } = await runThroughProcess({ label: 'torch 2.6', command, args, startTimeoutMs: 120_000 }, all, (n) => console.log(`  ${n}/${all.length}`), o.linear ? 100 : 500);
  const dir = o.dir ?? set.dir;
  const log = (line: string) => console.log(line);
  const regenerated = assembleVectorFiles(toVectorGroups(groups, responses));
  // a rewrite keeps the committed outputs of the known deviating cases (torch26_kept_deviation.ts): this host's torch may give other ones
  const { texts, files } = o.write ? keepKnownDeviations(dir, regenerated, torch26KeptDeviation, log) : regenerated;
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: set.version,
    seed,
    oracle: `torch ${handshake.version} (Debian 13 python3-torch, chroot) via conformance/backends/torch/python/qconform_torch.py${set.note}`,
    provenance: { ...handshake.info, aten_cpu_capability_env: TORCH26_ATEN_CAPABILITY, torch_version: handshake.version, generated_by: `npm run ${set.script}` },
    files,
  };
  return o.write ? writeOrCompareVectorSet(dir, { manifest, texts }, true, log) : compareRegeneratedSet(dir, texts, torch26KeptDeviation, log);
}

const program = new Command('torch26-vectors').description('torch 2.6 golden vectors (Debian 13 chroot)');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--linear', 'the linear set (vectors/torch-2.6-linear) instead of the catalogue (vectors/torch-2.6)')
  .option('--seed <seed>', 'seed (default: the set\'s)')
  .option('--dir <dir>', 'vector directory (default: the set\'s)')
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
