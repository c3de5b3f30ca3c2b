/**
 * torch elementwise-op vectors: `generate --op hardswish|hardsigmoid|mul [--write]` runs the cases of
 * conformance/cases/quantized_hard_activation_cases.ts or quantized_mul_cases.ts through real torch 1.13, one process
 * per ATen CPU capability (ATEN_CPU_CAPABILITY=default, avx2, avx512; scripts/vectors/capability_vector_set.ts), and
 * compares with (or rewrites) vectors/torch-1.13-hardswish, -hardsigmoid or -mul. The avx512 cases need a host with AVX512.
 *   npm run vectors:write:torch-hardswish     rewrite the hardswish set (:torch-hardsigmoid, :torch-mul: the others)
 *   npm run vectors:check:torch-hardswish     regenerate, byte-identical or exit 1 (likewise)
 */
import { Command, Option } from 'commander';
import { TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_MUL_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedHardActivationCases } from '../../conformance/cases/quantized_hard_activation_cases.js';
import { quantizedMulCases } from '../../conformance/cases/quantized_mul_cases.js';
import { type CapabilitySet, TORCH_1_13, generateCapabilitySet } from './capability_vector_set.js';

type ElementwiseOp = 'hardswish' | 'hardsigmoid' | 'mul';

const DIRS: Record<ElementwiseOp, string> = { hardswish: TORCH_HARDSWISH_VECTORS_DIR, hardsigmoid: TORCH_HARDSIGMOID_VECTORS_DIR, mul: TORCH_MUL_VECTORS_DIR };

function elementwiseSet(op: ElementwiseOp): CapabilitySet {
  return {
    torch: TORCH_1_13,
    generatedAs: `quantized_${op}@1`,
    op: `quantized_${op}@1`,
    stem: `quantized_${op}`,
    dir: DIRS[op],
    casesPerCapability: 130,
    cases: op === 'mul' ? quantizedMulCases : quantizedHardActivationCases(op),
    noun: `${op} cases`,
    generatedBy: `npm run vectors:write:torch-${op}`,
    generatorVersion: 1,
  };
}

const generate = new Command('torch-elementwise-vectors').description('torch quantized hardswish / hardsigmoid / mul golden vectors').command('generate');
generate
  .addOption(new Option('--op <op>', 'which op').choices(Object.keys(DIRS)).makeOptionMandatory())
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed (default: qconform-torch-1.13-<op>-v1)')
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o: { op: ElementwiseOp; write?: boolean; seed?: string; dir?: string }) => {
    process.exitCode = await generateCapabilitySet(elementwiseSet(o.op), { ...o, seed: o.seed ?? `qconform-torch-1.13-${o.op}-v1` });
  });
await generate.parent!.parseAsync();
