/**
 * torch 1.13 quantized adaptive_avg_pool2d vectors: `generate [--write]` runs the cases of
 * conformance/cases/quantized_adaptive_avg_pool2d_cases.ts through real torch on the host under each ATen CPU
 * capability (ATEN_CPU_CAPABILITY=default, avx2, avx512: one torch process each), requires the three to answer byte
 * for byte alike (the NHWC kernel's AVX blocks quantize as its scalar loop does, contract/quantized_adaptive_avg_pool2d.ts),
 * and compares with (or rewrites) vectors/torch-1.13-pool. Needs a host with AVX512 (torch falls back to AVX2
 * elsewhere, and the generator refuses).
 *   npm run vectors:write:torch-pool     rewrite the set
 *   npm run vectors:check:torch-pool     regenerate, byte-identical or exit 1
 */
import { Command } from 'commander';
import { ATEN_CPU_CAPABILITIES } from '../../contract/aten_vectorized_loop.js';
import { TORCH_POOL_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { TORCH_INSTALL_HINT, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torchCommandUnderCapability } from '../../conformance/backends/torch/torch_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { toVectorGroups } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { quantizedAdaptiveAvgPool2dCase } from '../../conformance/cases/quantized_adaptive_avg_pool2d_cases.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import type { WireResponse } from '../../conformance/protocol/messages.js';

const SEED = 'qconform-torch-1.13-pool-v1';
const GENERATOR_VERSION = 1;
const CASES = 400;
const OP = 'quantized_adaptive_avg_pool2d@1';

async function generate(o: { write?: boolean; seed: string; dir?: string }): Promise<number> {
  const dir = o.dir ?? TORCH_POOL_VECTORS_DIR;
  if (!torchAvailable()) {
    console.error(`PyTorch is not importable from /usr/bin/python3. Install it with: ${TORCH_INSTALL_HINT}`);
    return 2;
  }
  const requests = generateRequests(OP, CASES, quantizedAdaptiveAvgPool2dCase, o.seed);
  let first: { responses: readonly WireResponse[]; info: Record<string, unknown>; version: string } | null = null;
  for (const capability of ATEN_CPU_CAPABILITIES) {
    console.log(`running ${requests.length} pools through PyTorch under ATEN_CPU_CAPABILITY=${capability}...`);
    const run = await runThroughProcess({ label: `torch (${capability})`, ...torchCommandUnderCapability(null, capability), startTimeoutMs: 300_000 }, requests);
    const info = run.handshake.info ?? {};
    if (String(info.aten_capability) !== capability) {
      console.error(`torch ran ATen capability ${String(info.aten_capability)} under ATEN_CPU_CAPABILITY=${capability}: this host cannot run the ${capability} pass`);
      return 2;
    }
    if (first === null) {
      first = { responses: run.responses, info, version: run.handshake.version };
      continue;
    }
    const parted = run.responses.filter((r, i) => JSON.stringify(r) !== JSON.stringify(first!.responses[i]));
    if (parted.length > 0) {
      console.error(`${parted.length} answers under ${capability} differ from ${ATEN_CPU_CAPABILITIES[0]}'s (first: ${parted[0]!.id}): the op would need a cpu_capability attribute`);
      return 1;
    }
  }
  const { texts, files } = assembleVectorFiles(toVectorGroups([{ op: OP, requests }], first!.responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed: o.seed,
    oracle: `torch ${first!.version} (Debian python3-torch) via conformance/backends/torch/python/qconform_torch.py, identical under ATEN_CPU_CAPABILITY ${ATEN_CPU_CAPABILITIES.join(', ')}`,
    provenance: { ...first!.info, aten_capability: [...ATEN_CPU_CAPABILITIES], torch_version: first!.version, generated_by: 'npm run vectors:write:torch-pool' },
    files,
  };
  return writeOrCompareVectorSet(dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('torch-pool-vectors').description('torch 1.13 quantized adaptive_avg_pool2d golden vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', SEED)
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
