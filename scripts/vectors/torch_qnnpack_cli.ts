/**
 * torch 1.13 vectors of the qnnpack engine's own kernels: `generate --set add|avg-pool|mean|xnnpack-add|hardswish|
 * hardsigmoid [--write]` runs the cases of conformance/cases/qnnpack_add_cases.ts (QNNPACK's add),
 * qnnpack_avg_pool2d_cases.ts (QNNPACK's average pooling), qnnpack_mean_cases.ts (QNNPACK's global average pooling),
 * xnnpack_add_cases.ts (XNNPACK's qs8 add, the engine's qint8 add) or qnnpack_hard_activation_cases.ts (QNNPACK's
 * Hardswish and Hardsigmoid tables) through real torch on the host, under the qnnpack engine, and compares with (or
 * rewrites) vectors/torch-1.13-qnnpack-add, -qnnpack-avg-pool, -qnnpack-mean, -xnnpack-add, -qnnpack-hardswish or
 * -qnnpack-hardsigmoid. None depends on the ATen capability.
 *   npm run vectors:write:torch-qnnpack-add       rewrite a set (vectors:write:torch-qnnpack-avg-pool)
 *   npm run vectors:check:torch-qnnpack-add       regenerate, byte-identical or exit 1 (vectors:check:torch-qnnpack-avg-pool,
 *                                                 vectors:check:torch-qnnpack-mean, vectors:check:torch-xnnpack-add)
 */
import { Command } from 'commander';
import { TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR, TORCH_XNNPACK_ADD_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommand } from '../../conformance/backends/torch/torch_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { qnnpackAddCase } from '../../conformance/cases/qnnpack_add_cases.js';
import { qnnpackAvgPool2dCase } from '../../conformance/cases/qnnpack_avg_pool2d_cases.js';
import { qnnpackMeanCase } from '../../conformance/cases/qnnpack_mean_cases.js';
import { xnnpackAddCase } from '../../conformance/cases/xnnpack_add_cases.js';
import { qnnpackHardActivationCase } from '../../conformance/cases/qnnpack_hard_activation_cases.js';
import type { OpName } from '../../contract/ops.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';

interface QnnpackSet {
  readonly op: OpName;
  readonly cases: CaseFactory;
  readonly count: number;
  readonly seed: string;
  readonly dir: string;
  readonly noun: string;
}

const GENERATOR_VERSION = 1;
const SETS: Readonly<Record<string, QnnpackSet>> = {
  add: { op: 'qnnpack_add@1', cases: qnnpackAddCase, count: 400, seed: 'qconform-torch-1.13-qnnpack-add-v1', dir: TORCH_QNNPACK_ADD_VECTORS_DIR, noun: 'adds' },
  'xnnpack-add': { op: 'xnnpack_add@1', cases: xnnpackAddCase, count: 400, seed: 'qconform-torch-1.13-xnnpack-add-v1', dir: TORCH_XNNPACK_ADD_VECTORS_DIR, noun: 'adds' },
  'avg-pool': { op: 'qnnpack_avg_pool2d@1', cases: qnnpackAvgPool2dCase, count: 400, seed: 'qconform-torch-1.13-qnnpack-avg-pool-v1', dir: TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, noun: 'pools' },
  mean: { op: 'qnnpack_mean@1', cases: qnnpackMeanCase, count: 400, seed: 'qconform-torch-1.13-qnnpack-mean-v1', dir: TORCH_QNNPACK_MEAN_VECTORS_DIR, noun: 'means' },
  hardswish: { op: 'qnnpack_hardswish@1', cases: qnnpackHardActivationCase('hardswish'), count: 400, seed: 'qconform-torch-1.13-qnnpack-hardswish-v1', dir: TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, noun: 'Hardswish calls' },
  hardsigmoid: { op: 'qnnpack_hardsigmoid@1', cases: qnnpackHardActivationCase('hardsigmoid'), count: 400, seed: 'qconform-torch-1.13-qnnpack-hardsigmoid-v1', dir: TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, noun: 'Hardsigmoid calls' },
};

async function generate(o: { set: string; write?: boolean; seed?: string; dir?: string }): Promise<number> {
  const s = SETS[o.set];
  if (!s) {
    console.error(`--set ${o.set}: one of ${Object.keys(SETS).join(', ')}`);
    return 2;
  }
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const seed = o.seed ?? s.seed;
  const requests = generateRequests(s.op, s.count, s.cases, seed);
  console.log(`running ${requests.length} ${s.noun} through PyTorch's qnnpack engine...`);
  const run = await runThroughProcess({ label: 'torch', ...torchCommand('qnnpack'), startTimeoutMs: 300_000 }, requests);
  const info = run.handshake.info ?? {};
  const { texts, files } = assembleVectorFiles(toVectorGroups([{ op: s.op, requests }], run.responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed,
    oracle: `torch ${run.handshake.version} (Debian python3-torch) via conformance/backends/torch/python/qconform_torch.py, quantized engine qnnpack`,
    provenance: { ...info, torch_version: run.handshake.version, generated_by: `npm run vectors:write:torch-${o.set === 'xnnpack-add' ? o.set : `qnnpack-${o.set}`}` },
    files,
  };
  return writeOrCompareVectorSet(o.dir ?? s.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch-qnnpack-vectors').description("torch 1.13 golden vectors of the qnnpack engine's own kernels (QNNPACK's add, average pooling, global average pooling and tables, XNNPACK's qint8 add)");
program
  .command('generate')
  .requiredOption('--set <set>', `the set: ${Object.keys(SETS).join(', ')}`)
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', "seed (default: the set's own)")
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
