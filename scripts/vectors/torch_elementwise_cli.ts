/**
 * torch elementwise-op vectors: `generate --op hardswish|hardsigmoid|mul [--torch26] [--write]` runs the cases of
 * conformance/cases/quantized_hard_activation_cases.ts or quantized_mul_cases.ts through real torch 1.13 (or, --torch26,
 * torch 2.6 in its chroot: the same requests as the @2 op), one process per ATen CPU capability
 * (ATEN_CPU_CAPABILITY=default, avx2, avx512; scripts/vectors/capability_vector_set.ts), and compares with (or rewrites)
 * vectors/torch-1.13-hardswish, -hardsigmoid, -mul (vectors/torch-2.6-*). The avx512 cases need a host with AVX512.
 *   npm run vectors:write:torch-hardswish     rewrite the hardswish set (:torch-hardsigmoid, :torch-mul: the others;
 *                                             :torch26-hardswish, ...: torch 2.6's)
 *   npm run vectors:check:torch-hardswish     regenerate, byte-identical or exit 1 (likewise)
 */
import { Command, Option } from 'commander';
import { TORCH26_HARDSIGMOID_VECTORS_DIR, TORCH26_HARDSWISH_VECTORS_DIR, TORCH26_MUL_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_MUL_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedHardActivationCases } from '../../conformance/cases/quantized_hard_activation_cases.js';
import { quantizedMulCases } from '../../conformance/cases/quantized_mul_cases.js';
import { type CapabilitySet, TORCH_1_13, TORCH_2_6, generateCapabilitySet } from './capability_vector_set.js';

type ElementwiseOp = 'hardswish' | 'hardsigmoid' | 'mul';

const DIRS: Record<ElementwiseOp, string> = { hardswish: TORCH_HARDSWISH_VECTORS_DIR, hardsigmoid: TORCH_HARDSIGMOID_VECTORS_DIR, mul: TORCH_MUL_VECTORS_DIR };
const TORCH26_DIRS: Record<ElementwiseOp, string> = { hardswish: TORCH26_HARDSWISH_VECTORS_DIR, hardsigmoid: TORCH26_HARDSIGMOID_VECTORS_DIR, mul: TORCH26_MUL_VECTORS_DIR };

/** The 1.13 set of `op`, or (torch26) the 2.6 one: the same requests (generated as @1's) under the @2 op and id stem. */
function elementwiseSet(op: ElementwiseOp, torch26: boolean): CapabilitySet {
  return {
    torch: torch26 ? TORCH_2_6 : TORCH_1_13,
    generatedAs: `quantized_${op}@1`,
    op: `quantized_${op}@${torch26 ? 2 : 1}`,
    stem: `quantized_${op}${torch26 ? 2 : ''}`,
    dir: (torch26 ? TORCH26_DIRS : DIRS)[op],
    casesPerCapability: 130,
    cases: op === 'mul' ? quantizedMulCases : quantizedHardActivationCases(op),
    noun: `${op} cases`,
    generatedBy: `npm run vectors:write:torch${torch26 ? '26' : ''}-${op}`,
    generatorVersion: 1,
  };
}

const generate = new Command('torch-elementwise-vectors').description('torch quantized hardswish / hardsigmoid / mul golden vectors').command('generate');
generate
  .addOption(new Option('--op <op>', 'which op').choices(Object.keys(DIRS)).makeOptionMandatory())
  .option('--torch26', 'torch 2.6 in its chroot (the @2 op, vectors/torch-2.6-<op>)')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed (default: qconform-torch-1.13-<op>-v1)')
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o: { op: ElementwiseOp; torch26?: boolean; write?: boolean; seed?: string; dir?: string }) => {
    // torch 2.6's set asks torch 1.13's requests: the same seed
    process.exitCode = await generateCapabilitySet(elementwiseSet(o.op, o.torch26 ?? false), { ...o, seed: o.seed ?? `qconform-torch-1.13-${o.op}-v1` });
  });
await generate.parent!.parseAsync();
