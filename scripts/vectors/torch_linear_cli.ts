/**
 * torch 1.13 linear vectors: `generate [--write]` runs the cases of conformance/cases/torch_linear_catalog.ts
 * through real torch on the host (the torch adapter, conformance/backends/torch/python/linear_ops.py) and
 * compares with (or rewrites) vectors/torch-1.13-linear.
 *   npm run vectors:write:torch-linear     rewrite the set
 *   npm run vectors:check:torch-linear     regenerate, byte-identical or exit 1
 */
import { Command } from 'commander';
import { TORCH_LINEAR_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommand } from '../../conformance/backends/torch/torch_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { TORCH_LINEAR_CATALOG, TORCH_LINEAR_GENERATOR_VERSION, TORCH_LINEAR_SEED } from '../../conformance/cases/torch_linear_catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

async function generate(o: { write?: boolean; seed: string; dir?: string }): Promise<number> {
  const dir = o.dir ?? TORCH_LINEAR_VECTORS_DIR;
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const groups = TORCH_LINEAR_CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, o.seed) }));
  const all = groups.flatMap((g) => g.requests);
  console.log(`running ${all.length} linears through PyTorch...`);
  const { command, args } = torchCommand(null);
  const { handshake, responses } = await runThroughProcess({ label: 'torch', command, args, startTimeoutMs: 300_000 }, all, (n) => console.log(`  ${n}/${all.length}`), 100);
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: TORCH_LINEAR_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${handshake.version} (Debian python3-torch) via conformance/backends/torch/python/qconform_torch.py, each request on its scheme's engine`,
    provenance: { ...handshake.info, torch_version: handshake.version, generated_by: 'npm run vectors:write:torch-linear' },
    files,
  };
  return writeOrCompareVectorSet(dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch-linear-vectors').description('torch 1.13 quantized linear golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', TORCH_LINEAR_SEED)
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
