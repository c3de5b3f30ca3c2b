/**
 * ONNX Runtime golden vectors (vectors/onnxruntime-1.30): `generate [--write]` runs every generated
 * QLinearConv case through onnxruntime-node and compares with (or rewrites) the committed files.
 *   npm run vectors:write:ort
 */
import { readFileSync } from 'node:fs';
import { arch, cpus } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { ORT_VECTORS_DIR, type Manifest, serializeCases, sha256, writeFileAtomic } from '../../conformance/vector_store/vector_set.js';
import { ORT_ACCUMULATOR } from '../../conformance/onnx/qlinear_conv.js';
import { ORT_INSTALL_HINT, loadOrt, ortVersion, runThroughOrt } from '../oracle/ort_oracle.js';
import { toVectorCase } from './build_vector_set.js';
import { generateRequests, vectorFileStem } from './catalog.js';
import { ORT_CATALOG, ORT_DEFAULT_SEED, ORT_GENERATOR_VERSION } from './ort_catalog.js';

function cpuFlags(): string[] {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags')) ?? '';
    const present = new Set(line.split(':')[1]?.trim().split(/\s+/));
    return ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8'].filter((f) => present.has(f));
  } catch {
    return [];
  }
}

async function generate(o: { write?: boolean; seed: string; dir: string }): Promise<number> {
  const ort = await loadOrt();
  if (!ort) {
    console.error(`onnxruntime-node is not installed: ${ORT_INSTALL_HINT}`);
    return 2;
  }
  const texts = new Map<string, string>();
  const files: Manifest['files'] = [];
  for (const { op, count, factory } of ORT_CATALOG) {
    const requests = generateRequests(op, count, factory, o.seed);
    const responses = await runThroughOrt(ort, requests);
    const cases = requests.map((req, i) => toVectorCase(req, responses[i]!));
    const path = `${vectorFileStem(op)}.jsonl`;
    const text = serializeCases(cases);
    texts.set(path, text);
    files.push({ path, op, cases: cases.length, sha256: sha256(text) });
  }
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: ORT_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `onnxruntime-node ${ortVersion()} (CPU execution provider, 1 thread) via conformance/onnx/qlinear_conv.ts`,
    provenance: { cpu_flags: cpuFlags(), cpu_model: cpus()[0]?.model ?? null, arch: arch(), conv_accumulator: ORT_ACCUMULATOR, node: process.version, generated_by: 'npm run vectors:write:ort' },
    files,
  };
  if (o.write) {
    for (const [name, text] of texts) writeFileAtomic(join(o.dir, name), text);
    writeFileAtomic(join(o.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`wrote ${texts.size} file(s) and manifest.json to ${o.dir}`);
    return 0;
  }
  const differing = [...texts].filter(([name, text]) => {
    try {
      return readFileSync(join(o.dir, name), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  console.log(differing.length === 0 ? 'regenerated ORT vectors are byte-identical to the committed ones' : `differ: ${differing.map(([n]) => n).join(', ')}`);
  return differing.length === 0 ? 0 : 1;
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
