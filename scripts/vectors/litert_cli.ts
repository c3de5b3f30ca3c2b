/**
 * LiteRT golden vectors (vectors/litert-2.5): `generate [--write]` runs every generated conv through
 * LiteRT.js (TFLite's builtin int8 kernels or its XNNPACK delegate, as each case's scheme asks) and compares
 * with (or rewrites) the committed files.
 *   npm run vectors:write:litert
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { LITERT_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { LITERT_ACCUMULATOR, litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { LITERT_INSTALL, litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { LITERT_CATALOG, LITERT_DEFAULT_SEED, LITERT_GENERATOR_VERSION } from '../../conformance/cases/litert_catalog.js';
import type { WireResponse } from '../../conformance/protocol/messages.js';

async function generate(o: { write?: boolean; seed: string; dir: string }): Promise<number> {
  if (!litertPackageJson()) {
    console.error(`@litertjs/core is not installed: ${LITERT_INSTALL}`);
    return 2;
  }
  const rt = await loadLiteRt();
  const groups = LITERT_CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, o.seed) }));
  const responses: WireResponse[] = [];
  for (const req of groups.flatMap((g) => g.requests)) responses.push(await litertConv2d(rt, req));
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: LITERT_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `@litertjs/core ${rt.version} (TFLite compiled to wasm, compat build, 1 thread) via conformance/backends/litert/litert_conv.ts`,
    provenance: {
      kernel_paths: { 'tflite-single-rounding@1': 'builtin CONV_2D (ruy)', 'tflite-double-rounding@1': 'builtin DEPTHWISE_CONV_2D', 'xnnpack-fp32@1': 'XNNPACK delegate' },
      cpu_model: cpus()[0]?.model ?? null,
      arch: arch(),
      conv_accumulator: LITERT_ACCUMULATOR,
      node: process.version,
      generated_by: 'npm run vectors:write:litert',
    },
    files,
  };
  return writeOrCompareVectorSet(o.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('litert-vectors').description('qconform LiteRT golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', LITERT_DEFAULT_SEED)
  .option('--dir <dir>', 'vector directory', LITERT_VECTORS_DIR)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
