/**
 * torch 2.6 golden vectors: `generate [--write]` runs the torch 2.6 catalogue (conformance/cases/torch26_catalog.ts)
 * through real PyTorch 2.6 in its chroot (conformance/backends/torch/torch26_chroot.ts) and compares with (or
 * rewrites) vectors/torch-2.6.
 *   npm run vectors:write:torch26     rewrite vectors/torch-2.6
 *   npm run vectors:check:torch26     regenerate through torch 2.6, byte-identical or exit 1
 */
import { Command } from 'commander';
import { TORCH26_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH26_ATEN_CAPABILITY, torch26Availability, torch26Command } from '../../conformance/backends/torch/torch26_chroot.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { TORCH26_GENERATOR_VERSION, TORCH26_SEED, torch26Requests } from '../../conformance/cases/torch26_catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

async function generate(o: { write?: boolean; seed: string; dir: string }): Promise<number> {
  const available = torch26Availability();
  if (!available.available) {
    console.error(`torch 2.6: ${available.reason}. Set it up with: ${available.install}`);
    return 2;
  }
  const groups = torch26Requests(o.seed);
  const all = groups.flatMap((g) => g.requests);
  console.log(`running ${all.length} cases through PyTorch 2.6...`);
  const { command, args } = torch26Command(null);
  const { handshake, responses } = await runThroughProcess({ label: 'torch 2.6', command, args, startTimeoutMs: 120_000 }, all, (n) => console.log(`  ${n}/${all.length}`));
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: TORCH26_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${handshake.version} (Debian 13 python3-torch, chroot) via conformance/backends/torch/python/qconform_torch.py`,
    provenance: { ...handshake.info, aten_cpu_capability_env: TORCH26_ATEN_CAPABILITY, torch_version: handshake.version, generated_by: 'npm run vectors:write:torch26' },
    files,
  };
  return writeOrCompareVectorSet(o.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch26-vectors').description('torch 2.6 golden vectors (Debian 13 chroot)');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', TORCH26_SEED)
  .option('--dir <dir>', 'vector directory', TORCH26_VECTORS_DIR)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
