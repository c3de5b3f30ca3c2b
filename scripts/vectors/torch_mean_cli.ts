/**
 * torch mean vectors: `generate [--write]` runs the cases of conformance/cases/quantized_mean_cases.ts through real torch
 * 1.13, one process per ATen CPU capability (ATEN_CPU_CAPABILITY=default, avx2, avx512;
 * scripts/vectors/capability_vector_set.ts), and compares with (or rewrites) vectors/torch-1.13-mean. The avx512 cases
 * need a host with AVX512.
 *   npm run vectors:write:torch-mean     rewrite the set
 *   npm run vectors:check:torch-mean     regenerate, byte-identical or exit 1
 */
import { Command } from 'commander';
import { TORCH_MEAN_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedMeanCases } from '../../conformance/cases/quantized_mean_cases.js';
import { TORCH_1_13, generateCapabilitySet } from './capability_vector_set.js';

const generate = new Command('torch-mean-vectors').description('torch quantized mean golden vectors').command('generate');
generate
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', 'qconform-torch-1.13-mean-v1')
  .option('--dir <dir>', 'vector directory', undefined)
  .action(async (o: { write?: boolean; seed: string; dir?: string }) => {
    process.exitCode = await generateCapabilitySet(
      {
        torch: TORCH_1_13,
        generatedAs: 'quantized_mean@1',
        op: 'quantized_mean@1',
        stem: 'quantized_mean',
        dir: TORCH_MEAN_VECTORS_DIR,
        casesPerCapability: 130,
        cases: quantizedMeanCases,
        noun: 'mean cases',
        generatedBy: 'npm run vectors:write:torch-mean',
        generatorVersion: 1,
      },
      o,
    );
  });
await generate.parent!.parseAsync();
