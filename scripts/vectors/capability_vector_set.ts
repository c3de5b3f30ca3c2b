/**
 * A vector set of an op whose torch cases name the ATen CPU capability they run under (quantized_add, quantized_cat):
 * the cases of each capability run through one torch process started under it (ATEN_CPU_CAPABILITY fixes it when torch
 * starts), ids `<stem>_<capability>-NNNNN`, one seed per capability; written, or compared with the committed set. A
 * process that runs another capability than asked (a host without AVX512) makes it refuse (exit 2).
 */
import { Command } from 'commander';
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import type { Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH26_SETUP_HINT, torch26Availability, torch26Command } from '../../conformance/backends/torch/torch26_chroot.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommandUnderCapability } from '../../conformance/backends/torch/torch_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import type { OpName } from '../../contract/ops.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';

/** The torch a set is written by. */
export interface CapabilityTorch {
  /** torch 2.6 in its chroot (npm run setup:torch26), else Debian's torch 1.13 on the host */
  readonly torch26: boolean;
  /** which torch, for the manifest's oracle line */
  readonly description: string;
}

export const TORCH_1_13: CapabilityTorch = { torch26: false, description: 'Debian python3-torch' };
export const TORCH_2_6: CapabilityTorch = { torch26: true, description: 'Debian 13 python3-torch in its chroot' };

export interface CapabilitySet {
  readonly torch: CapabilityTorch;
  /** the op the requests are generated as, and the op they are sent as (torch 2.6's version) */
  readonly generatedAs: OpName;
  readonly op: OpName;
  /** case ids are `${stem}_<capability>-NNNNN` */
  readonly stem: string;
  readonly dir: string;
  readonly casesPerCapability: number;
  readonly cases: (capability: AtenCpuCapability) => CaseFactory;
  readonly noun: string;
  readonly generatedBy: string;
  readonly generatorVersion: number;
}

function processCommand(torch: CapabilityTorch, capability: string): { command: string; args: string[] } {
  return torch.torch26 ? torch26Command(null, undefined, capability) : torchCommandUnderCapability(null, capability);
}

/** Write (or compare) the set: 0 when written or identical, 1 when it differs, 2 when this host cannot write it. */
export async function generateCapabilitySet(s: CapabilitySet, o: { write?: boolean; seed: string; dir?: string }): Promise<number> {
  const available = s.torch.torch26 ? torch26Availability() : torchAvailable() ? { available: true } : { available: false, reason: 'PyTorch is not importable from /usr/bin/python3', install: TORCH_INSTALL_HINT };
  if (!available.available) {
    console.error(`${available.reason}. Install it with: ${available.install ?? TORCH26_SETUP_HINT}`);
    return 2;
  }
  const requests: WireRequest[] = [];
  const responses: WireResponse[] = [];
  let info: Record<string, unknown> = {};
  let version = '';
  for (const capability of ATEN_CPU_CAPABILITIES) {
    const batch = generateRequests(s.generatedAs, s.casesPerCapability, s.cases(capability), `${o.seed}/${capability}`).map((r) => ({ ...r, op: s.op, id: r.id.replace(`${s.generatedAs.split('@')[0]}-`, `${s.stem}_${capability}-`) }));
    console.log(`running ${batch.length} ${s.noun} through PyTorch under ATEN_CPU_CAPABILITY=${capability}...`);
    const run = await runThroughProcess({ label: `torch (${capability})`, ...processCommand(s.torch, capability), startTimeoutMs: 300_000 }, batch);
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
  const { texts, files } = assembleVectorFiles(toVectorGroups([{ op: s.op, requests }], responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: s.generatorVersion,
    seed: o.seed,
    oracle: `torch ${version} (${s.torch.description}) via conformance/backends/torch/python/qconform_torch.py, one process per ATEN_CPU_CAPABILITY`,
    provenance: { ...info, cpu_capability: undefined, aten_capability: [...ATEN_CPU_CAPABILITIES], torch_version: version, generated_by: s.generatedBy },
    files,
  };
  return writeOrCompareVectorSet(o.dir ?? s.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

/**
 * The writer's command line: `generate [--write] [--seed] [--dir]`, and `--torch26` where the op has a torch 2.6 set
 * (`torch26` given): the set of torch 1.13, or of 2.6.
 */
export async function runCapabilitySetCli(name: string, description: string, seed: string, torch113: CapabilitySet, torch26?: CapabilitySet): Promise<void> {
  const generate = new Command(name).description(description).command('generate');
  generate
    .option('--write', 'write the vector files (otherwise only compare)')
    .option('--seed <seed>', 'seed', seed)
    .option('--dir <dir>', 'vector directory', undefined);
  if (torch26) generate.option('--torch26', `torch 2.6 in its chroot (${torch26.op}, ${torch26.dir.slice(torch26.dir.lastIndexOf('/') + 1)})`);
  generate.action(async (o) => {
    process.exitCode = await generateCapabilitySet(o.torch26 && torch26 ? torch26 : torch113, o);
  });
  await generate.parent!.parseAsync();
}
