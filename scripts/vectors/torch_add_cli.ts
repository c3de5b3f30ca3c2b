/**
 * torch quantized::add vectors: `generate [--write]` runs the cases of conformance/cases/quantized_add_cases.ts
 * through real torch, one torch process per ATen CPU capability (ATEN_CPU_CAPABILITY=default, avx2, avx512; the
 * capability is fixed when torch starts), and compares with (or rewrites) vectors/torch-1.13-add (torch 1.13 on the
 * host, quantized_add@1) or, with --torch26, vectors/torch-2.6-add (torch 2.6 in its chroot, quantized_add@2: the same
 * requests, ids quantized_add2_<capability>-NNNNN). The avx512 cases need a host with AVX512 (torch falls back to AVX2
 * elsewhere, and the generator refuses).
 *   npm run vectors:write:torch-add     rewrite the 1.13 set (vectors:write:torch26-add: the 2.6 set)
 *   npm run vectors:check:torch-add     regenerate, byte-identical or exit 1 (vectors:check:torch26-add)
 */
import { Command } from 'commander';
import { ATEN_CPU_CAPABILITIES } from '../../contract/aten_vectorized_loop.js';
import { TORCH26_ADD_VECTORS_DIR, TORCH_ADD_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH26_SETUP_HINT, torch26Availability, torch26Command } from '../../conformance/backends/torch/torch26_chroot.js';
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

/** The torch a set is written by: its op, id stem, directory, and the command of a process under an ATen capability. */
interface AddTorch {
  readonly op: 'quantized_add@1' | 'quantized_add@2';
  readonly stem: string;
  readonly dir: string;
  readonly label: string;
  readonly command: (capability: string) => { command: string; args: string[] };
}

const TORCH_113: AddTorch = {
  op: 'quantized_add@1',
  stem: 'quantized_add',
  dir: TORCH_ADD_VECTORS_DIR,
  label: 'torch (Debian python3-torch)',
  command: (capability) => {
    const { command, args } = torchCommand(null);
    return { command: 'env', args: [`ATEN_CPU_CAPABILITY=${capability}`, command, ...args] };
  },
};
const TORCH_26: AddTorch = { op: 'quantized_add@2', stem: 'quantized_add2', dir: TORCH26_ADD_VECTORS_DIR, label: 'torch (Debian 13 python3-torch in its chroot)', command: (capability) => torch26Command(null, undefined, capability) };

async function generate(o: { write?: boolean; seed: string; dir?: string; torch26?: boolean }): Promise<number> {
  const torch = o.torch26 ? TORCH_26 : TORCH_113;
  const dir = o.dir ?? torch.dir;
  const available = o.torch26 ? torch26Availability() : torchAvailable() ? { available: true } : { available: false, reason: 'PyTorch is not importable from /usr/bin/python3', install: TORCH_INSTALL_HINT };
  if (!available.available) {
    console.error(`${available.reason}. Install it with: ${available.install ?? TORCH26_SETUP_HINT}`);
    return 2;
  }
  const requests: WireRequest[] = [];
  const responses: WireResponse[] = [];
  let info: Record<string, unknown> = {};
  let version = '';
  for (const capability of ATEN_CPU_CAPABILITIES) {
    // the same requests for either torch (generated as @1's), under its op name and id stem
    const batch = generateRequests('quantized_add@1', CASES_PER_CAPABILITY, quantizedAddCases(capability), `${o.seed}/${capability}`).map((r) => ({ ...r, op: torch.op, id: r.id.replace('quantized_add-', `${torch.stem}_${capability}-`) }));
    console.log(`running ${batch.length} adds through PyTorch under ATEN_CPU_CAPABILITY=${capability}...`);
    const run = await runThroughProcess({ label: `torch (${capability})`, ...torch.command(capability), startTimeoutMs: 300_000 }, batch);
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
  const { texts, files } = assembleVectorFiles(toVectorGroups([{ op: torch.op, requests }], responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${version} ${torch.label.replace('torch ', '')} via conformance/backends/torch/python/qconform_torch.py, one process per ATEN_CPU_CAPABILITY`,
    provenance: { ...info, cpu_capability: undefined, aten_capability: [...ATEN_CPU_CAPABILITIES], torch_version: version, generated_by: `npm run vectors:write:${o.torch26 ? 'torch26-add' : 'torch-add'}` },
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
  .option('--torch26', "torch 2.6 in its chroot (quantized_add@2, vectors/torch-2.6-add)")
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
