/**
 * torch hard-activation vectors: `generate --op hardswish|hardsigmoid [--write]` runs the cases of
 * conformance/cases/quantized_hard_activation_cases.ts through real torch 1.13, one process per ATen CPU capability
 * (ATEN_CPU_CAPABILITY=default, avx2, avx512; scripts/vectors/capability_vector_set.ts), and compares with (or rewrites)
 * vectors/torch-1.13-hardswish or vectors/torch-1.13-hardsigmoid. The avx512 cases need a host with AVX512.
 *   npm run vectors:write:torch-hardswish     rewrite the hardswish set (vectors:write:torch-hardsigmoid: the other)
 *   npm run vectors:check:torch-hardswish     regenerate, byte-identical or exit 1 (vectors:check:torch-hardsigmoid)
 */
import { Command, Option } from 'commander';
import { TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { type HardActivation, quantizedHardActivationCases } from '../../conformance/cases/quantized_hard_activation_cases.js';
import { type CapabilitySet, TORCH_1_13, generateCapabilitySet } from './capability_vector_set.js';

function activationSet(fn: HardActivation): CapabilitySet {
  return {
    torch: TORCH_1_13,
    generatedAs: `quantized_${fn}@1`,
    op: `quantized_${fn}@1`,
    stem: `quantized_${fn}`,
    dir: fn === 'hardswish' ? TORCH_HARDSWISH_VECTORS_DIR : TORCH_HARDSIGMOID_VECTORS_DIR,
    casesPerCapability: 130,
    cases: quantizedHardActivationCases(fn),
    noun: `${fn} cases`,
    generatedBy: `npm run vectors:write:torch-${fn}`,
    generatorVersion: 1,
  };
}

const generate = new Command('torch-hard-activation-vectors').description('torch quantized hardswish / hardsigmoid golden vectors').command('generate');
generate
  .addOption(new Option('--op <op>', 'which activation').choices(['hardswish', 'hardsigmoid']).makeOptionMandatory())
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed (default: qconform-torch-1.13-<op>-v1)')
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o: { op: HardActivation; write?: boolean; seed?: string; dir?: string }) => {
    process.exitCode = await generateCapabilitySet(activationSet(o.op), { ...o, seed: o.seed ?? `qconform-torch-1.13-${o.op}-v1` });
  });
await generate.parent!.parseAsync();
