/**
 * torch 1.13 quantized::add vectors: `generate [--write]` runs the cases of conformance/cases/quantized_add_cases.ts
 * through real torch on the host, one torch process per ATen CPU capability (ATEN_CPU_CAPABILITY=default, avx2,
 * avx512; the capability is fixed when torch starts), and compares with (or rewrites) vectors/torch-1.13-add.
 * The avx512 cases need a host with AVX512 (torch falls back to AVX2 elsewhere, and the generator refuses).
 *   npm run vectors:write:torch-add     rewrite the set
 *   npm run vectors:check:torch-add     regenerate, byte-identical or exit 1
 */
import { Command } from 'commander';
import { ATEN_CPU_CAPABILITIES } from '../../contract/aten_vectorized_loop.js';
import { TORCH_ADD_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommand } from '../../conformance/backends/torch/torch_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { quantizedAddCases } from '../../conformance/cases/quantized_add_cases.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';

const SEED = 'qconform-torch-1.13-add-v1';
const GENERATOR_VERSION = 1;
const CASES_PER_CAPABILITY = 200;

async function generate(o: { write?: boolean; seed: string; dir?: string }): Promise<number> {
  const dir = o.dir ?? TORCH_ADD_VECTORS_DIR;
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const requests: WireRequest[] = [];
  const responses: WireResponse[] = [];
  let info: Record<string, unknown> = {};
  let version = '';
  for (const capability of ATEN_CPU_CAPABILITIES) {
    const batch = generateRequests('quantized_add@1', CASES_PER_CAPABILITY, quantizedAddCases(capability), `${o.seed}/${capability}`).map((r) => ({ ...r, id: r.id.replace("quantized_add-", `quantized_add_${capability}-`) }));
    const { command, args } = torchCommand(null);
    console.log(`running ${batch.length} adds through PyTorch under ATEN_CPU_CAPABILITY=${capability}...`);
    const run = await runThroughProcess({ label: `torch (${capability})`, command: 'env', args: [`ATEN_CPU_CAPABILITY=${capability}`, command, ...args], startTimeoutMs: 300_000 }, batch);
    const runInfo = run.handshake.info ?? {};
    const reported = String(runInfo.aten_capability);
    if (reported !== capability) {
      console.error(`torch ran ATen capability ${reported} under ATEN_CPU_CAPABILITY=${capability}: this host cannot write the ${capability} cases`);
      return 2;
    }
    requests.push(...batch);
    responses.push(...run.responses);
    info = runInfo;
    version = run.handshake.version;
  }
  const { texts, files } = assembleVectorFiles(toVectorGroups([{ op: 'quantized_add@1', requests }], responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${version} (Debian python3-torch) via conformance/backends/torch/python/qconform_torch.py, one process per ATEN_CPU_CAPABILITY`,
    provenance: { ...info, cpu_capability: undefined, aten_capability: [...ATEN_CPU_CAPABILITIES], torch_version: version, generated_by: 'npm run vectors:write:torch-add' },
    files,
  };
  return writeOrCompareVectorSet(dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch-add-vectors').description('torch 1.13 quantized::add golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', SEED)
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
