/**
 * torch mean vectors: `generate [--torch26] [--write]` runs the cases of conformance/cases/quantized_mean_cases.ts through
 * real torch 1.13 (or, --torch26, torch 2.6 in its chroot: the same requests as quantized_mean@2), one process per ATen
 * CPU capability (ATEN_CPU_CAPABILITY=default, avx2, avx512; scripts/vectors/capability_vector_set.ts), and compares with
 * (or rewrites) vectors/torch-1.13-mean (vectors/torch-2.6-mean). The avx512 cases need a host with AVX512.
 *   npm run vectors:write:torch-mean     rewrite the set (:torch26-mean: torch 2.6's)
 *   npm run vectors:check:torch-mean     regenerate, byte-identical or exit 1 (likewise)
 */
import { Command } from 'commander';
import { TORCH26_MEAN_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedMeanCases } from '../../conformance/cases/quantized_mean_cases.js';
import { TORCH_1_13, TORCH_2_6, generateCapabilitySet } from './capability_vector_set.js';

const generate = new Command('torch-mean-vectors').description('torch quantized mean golden vectors').command('generate');
generate
  .option('--torch26', 'torch 2.6 in its chroot (quantized_mean@2, vectors/torch-2.6-mean)')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed (torch 2.6 asks torch 1.13\'s requests: the same seed)', 'qconform-torch-1.13-mean-v1')
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o: { torch26?: boolean; write?: boolean; seed: string; dir?: string }) => {
    const torch26 = o.torch26 ?? false;
    process.exitCode = await generateCapabilitySet(
      {
        torch: torch26 ? TORCH_2_6 : TORCH_1_13,
        generatedAs: 'quantized_mean@1',
        op: `quantized_mean@${torch26 ? 2 : 1}`,
        stem: `quantized_mean${torch26 ? '2' : ''}`,
        dir: torch26 ? TORCH26_MEAN_VECTORS_DIR : TORCH_MEAN_VECTORS_DIR,
        casesPerCapability: 130,
        cases: quantizedMeanCases,
        noun: 'mean cases',
        generatedBy: `npm run vectors:write:torch${torch26 ? '26' : ''}-mean`,
        generatorVersion: 1,
      },
      o,
    );
  });
await generate.parent!.parseAsync();
