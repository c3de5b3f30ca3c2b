/**
 * torch 1.13 quantized avg_pool2d vectors: `generate [--write]` runs the cases of
 * conformance/cases/quantized_avg_pool2d_cases.ts through real torch, one torch process per ATen CPU capability
 * (ATEN_CPU_CAPABILITY=default, avx2, avx512: it decides which channels the NHWC kernel computes in QuantizeAvx2 /
 * Avx512), and compares with (or rewrites) vectors/torch-1.13-avg-pool. Needs an AVX512 host.
 * scripts/vectors/capability_vector_set.ts runs them.
 *   npm run vectors:write:torch-avg-pool     rewrite the set
 *   npm run vectors:check:torch-avg-pool     regenerate, byte-identical or exit 1
 */
import { TORCH_AVG_POOL_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedAvgPool2dCases } from '../../conformance/cases/quantized_avg_pool2d_cases.js';
import { type CapabilitySet, TORCH_1_13, runCapabilitySetCli } from './capability_vector_set.js';

const SEED = 'qconform-torch-1.13-avg-pool-v1';

const AVG_POOL_SET: CapabilitySet = {
  torch: TORCH_1_13,
  generatedAs: 'quantized_avg_pool2d@1',
  op: 'quantized_avg_pool2d@1',
  stem: 'quantized_avg_pool2d',
  dir: TORCH_AVG_POOL_VECTORS_DIR,
  casesPerCapability: 130,
  cases: quantizedAvgPool2dCases,
  noun: 'pools',
  generatedBy: 'npm run vectors:write:torch-avg-pool',
  generatorVersion: 1,
};

await runCapabilitySetCli('torch-avg-pool-vectors', 'torch 1.13 quantized avg_pool2d golden vectors', SEED, AVG_POOL_SET);
