/**
 * torch 1.13 qnnpack_add vectors: `generate [--write]` runs the cases of conformance/cases/qnnpack_add_cases.ts
 * through real torch on the host (quantized::add / add_relu under the qnnpack engine, QNNPACK's add) and compares
 * with (or rewrites) vectors/torch-1.13-qnnpack-add. The add does not depend on the ATen capability.
 *   npm run vectors:write:torch-qnnpack-add     rewrite the set
 *   npm run vectors:check:torch-qnnpack-add     regenerate, byte-identical or exit 1
 */
import { Command } from 'commander';
import { TORCH_QNNPACK_ADD_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommand } from '../../conformance/backends/torch/torch_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { qnnpackAddCase } from '../../conformance/cases/qnnpack_add_cases.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

const SEED = 'qconform-torch-1.13-qnnpack-add-v1';
const GENERATOR_VERSION = 1;
const CASES = 400;
const OP = 'qnnpack_add@1';

async function generate(o: { write?: boolean; seed: string; dir?: string }): Promise<number> {
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const requests = generateRequests(OP, CASES, qnnpackAddCase, o.seed);
  console.log(`running ${requests.length} adds through PyTorch's qnnpack engine...`);
  const run = await runThroughProcess({ label: 'torch', ...torchCommand('qnnpack'), startTimeoutMs: 300_000 }, requests);
  const info = run.handshake.info ?? {};
  const { texts, files } = assembleVectorFiles(toVectorGroups([{ op: OP, requests }], run.responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${run.handshake.version} (Debian python3-torch) via conformance/backends/torch/python/qconform_torch.py, quantized engine qnnpack`,
    provenance: { ...info, torch_version: run.handshake.version, generated_by: 'npm run vectors:write:torch-qnnpack-add' },
    files,
  };
  return writeOrCompareVectorSet(o.dir ?? TORCH_QNNPACK_ADD_VECTORS_DIR, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch-qnnpack-add-vectors').description("torch 1.13 quantized::add on the qnnpack engine (QNNPACK's add) golden vectors");
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', SEED)
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
