/**
 * Golden vector commands, shared by `npm run vectors:*` (scripts/vectors/cli.ts) and `qconform vectors`:
 *   generateVectors          regenerate every case through real torch and compare with the committed files
 *   generateVectors (write)  (re)write the vector directory (the torch-1.13 set's writer; the other sets' writers are
 *                            scripts/vectors/*_cli.ts, all through vector_set_files.ts writeOrCompareVectorSet)
 *   checkVectors             verify manifest, hashes, schema; regenerate the requests from the seed and compare
 *                            them byte for byte; when torch is installed, regenerate the expectations too
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { TORCH_VECTORS_DIR, VectorFileError, readVectorSet } from './vector_set.js';
import type { Manifest } from './vector_types.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../backends/torch/torch_process.js';
import { buildTorchVectorSet, catalogRequests } from './build_vector_set.js';
import { writeOrCompareVectorSet } from './vector_set_files.js';
import { DEFAULT_SEED, GENERATOR_VERSION } from '../cases/catalog.js';

const log = (s: string) => console.log(s);

function requestPart(c: { id: string; op: string; attrs?: unknown; inputs?: unknown }): string {
  return JSON.stringify({ id: c.id, op: c.op, attrs: c.attrs ?? {}, inputs: c.inputs ?? {} });
}

/** Regenerate every case through real torch; compare with `dir`, or write it with `write`. Returns an exit code. */
export async function generateVectors(opts: { write?: boolean; seed: string; dir: string }): Promise<number> {
  if (!opts.write && !existsSync(join(opts.dir, 'manifest.json'))) {
    console.error(`no vector set to compare with at ${opts.dir} (no manifest.json there); --write creates one`);
    return 2;
  }
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  return writeOrCompareVectorSet(opts.dir, await buildTorchVectorSet(opts.seed, log), opts.write ?? false, log);
}

/** The command that writes the torch-1.13 catalog's sets, the only sets checkVectors regenerates. */
const TORCH_SET_WRITER = 'npm run vectors:write';

/**
 * For a set another generator wrote, which command checks it (its manifest's provenance.generated_by with write turned
 * into check; the imported ONNX node tests have their own); null for a set of the torch-1.13 catalog.
 */
function otherSetNote(manifest: Manifest): string | null {
  const writer = manifest.provenance.generated_by;
  if (writer === undefined) return manifest.seed.startsWith('none') ? "this set's own check is `npm run vectors:check:onnx-testdata`" : null;
  if (typeof writer !== 'string' || writer === TORCH_SET_WRITER) return null;
  if (!writer.includes('vectors:write')) return `this set was written by \`${writer}\`, which has no check command here`;
  return `this set's own check is \`${writer.replace('vectors:write', 'vectors:check')}\``;
}

/** Verify a vector set (manifest, hashes, schema, requests regenerated from the seed; expectations through torch with `oracle`). */
export async function checkVectors(opts: { dir: string; oracle: boolean }): Promise<number> {
  const { manifest, files } = readVectorSet(opts.dir);
  const total = files.reduce((a, f) => a + f.cases.length, 0);
  log(`manifest, sha256 and schema OK: ${files.length} files, ${total} cases`);
  const other = otherSetNote(manifest);
  if (other) {
    log(`not regenerated here: this command regenerates the sets written by \`${TORCH_SET_WRITER}\` (vectors/torch-1.13); ${other}`);
    return 0;
  }
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
  return generateVectors({ seed: manifest.seed, dir: opts.dir });
}

/** The `generate` and `check` subcommands, added to `parent`. */
export function addVectorCommands(parent: Command): Command {
  parent
    .command('generate')
    .description('regenerate every case through real torch and compare with the committed vectors (or --write them)')
    .option('--write', 'write the vector files (otherwise only compare)')
    .option('--seed <seed>', 'seed', DEFAULT_SEED)
    .option('--dir <dir>', 'vector directory', TORCH_VECTORS_DIR)
    .action(async (o: { write?: boolean; seed: string; dir: string }) => {
      process.exitCode = await generateVectors(o);
    });
  parent
    .command('check')
    .description('verify manifest, sha256, schema and shapes; regenerate the requests from the seed (and the expectations when torch is installed)')
    .option('--dir <dir>', 'vector directory', TORCH_VECTORS_DIR)
    .option('--no-oracle', 'do not regenerate expectations with torch even if it is installed')
    .action(async (o: { dir: string; oracle: boolean }) => {
      try {
        process.exitCode = await checkVectors(o);
      } catch (e) {
        if (!(e instanceof VectorFileError)) throw e;
        console.error(`refused: ${e.message}`);
        process.exitCode = 2;
      }
    });
  return parent;
}
