/**
 * Golden vectors: `generate [--write]` and `check`.
 *   generate          regenerate every case through real torch and compare with the committed files
 *   generate --write  (re)write vectors/torch-1.13 (the only command that writes vectors)
 *   check             verify manifest, hashes, schema; regenerate the requests from the seed and compare
 *                     them byte for byte; when torch is installed, regenerate the expectations too
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { TORCH_VECTORS_DIR, readVectorSet, writeFileAtomic } from '../../conformance/vector_store/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../oracle/torch_oracle.js';
import { buildTorchVectorSet, catalogRequests } from './build_vector_set.js';
import { DEFAULT_SEED, GENERATOR_VERSION } from './catalog.js';

const log = (s: string) => console.log(s);

function requestPart(c: { id: string; op: string; attrs?: unknown; inputs?: unknown }): string {
  return JSON.stringify({ id: c.id, op: c.op, attrs: c.attrs ?? {}, inputs: c.inputs ?? {} });
}

/** Compare regenerated files with the committed ones; returns the names that differ. */
function compareTexts(dir: string, texts: Map<string, string>): string[] {
  const differing: string[] = [];
  for (const [name, text] of texts) {
    let committed = '';
    try {
      committed = readFileSync(join(dir, name), 'utf8');
    } catch {
      committed = '<missing>';
    }
    if (committed !== text) differing.push(name);
  }
  return differing;
}

async function generate(opts: { write?: boolean; seed: string; dir: string }): Promise<number> {
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const built = await buildTorchVectorSet(opts.seed, log);
  if (opts.write) {
    for (const [name, text] of built.texts) writeFileAtomic(join(opts.dir, name), text);
    writeFileAtomic(join(opts.dir, 'manifest.json'), `${JSON.stringify(built.manifest, null, 2)}\n`);
    log(`wrote ${built.texts.size} files and manifest.json to ${opts.dir}`);
    return 0;
  }
  const differing = compareTexts(opts.dir, built.texts);
  log(differing.length === 0 ? 'regenerated vectors are byte-identical to the committed ones' : `differ: ${differing.join(', ')}`);
  return differing.length === 0 ? 0 : 1;
}

async function check(opts: { dir: string; oracle: boolean }): Promise<number> {
  const { manifest, files } = readVectorSet(opts.dir);
  const total = files.reduce((a, f) => a + f.cases.length, 0);
  log(`manifest, sha256 and schema OK: ${files.length} files, ${total} cases`);
  if (manifest.generator_version !== GENERATOR_VERSION) {
    console.error(`generator version ${GENERATOR_VERSION} cannot regenerate vectors made by version ${manifest.generator_version}`);
    return 1;
  }
  const regenerated = new Map(catalogRequests(manifest.seed).map((g) => [g.op, g.requests]));
  let mismatches = 0;
  for (const { file, cases } of files) {
    const reqs = regenerated.get(file.op) ?? [];
    if (reqs.length !== cases.length) {
      console.error(`${file.path}: generator makes ${reqs.length} cases, file has ${cases.length}`);
      mismatches++;
      continue;
    }
    cases.forEach((c, i) => {
      if (requestPart(c) !== requestPart(reqs[i]!)) {
        if (mismatches++ < 5) console.error(`${file.path}:${i + 1}: regenerated request differs from the committed case ${c.id}`);
      }
    });
  }
  if (mismatches > 0) return 1;
  log(`requests regenerate byte-identically from seed "${manifest.seed}"`);
  if (!opts.oracle) return 0;
  if (!torchAvailable()) {
    log(`PyTorch not installed: expectations not regenerated (install with: ${TORCH_INSTALL_HINT})`);
    return 0;
  }
  return generate({ seed: manifest.seed, dir: opts.dir });
}

const program = new Command('vectors').description('qconform golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', DEFAULT_SEED)
  .option('--dir <dir>', 'vector directory', TORCH_VECTORS_DIR)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
program
  .command('check')
  .option('--dir <dir>', 'vector directory', TORCH_VECTORS_DIR)
  .option('--no-oracle', 'do not regenerate expectations with torch even if it is installed')
  .action(async (o) => {
    process.exitCode = await check(o);
  });
await program.parseAsync();
