/**
 * torch quantized avg_pool2d vectors: `generate [--write]` runs the cases of
 * conformance/cases/quantized_avg_pool2d_cases.ts through real torch, one torch process per ATen CPU capability
 * (ATEN_CPU_CAPABILITY=default, avx2, avx512: it decides which channels the NHWC kernel computes in QuantizeAvx2 /
 * Avx512), and compares with (or rewrites) vectors/torch-1.13-avg-pool (torch 1.13 on the host, quantized_avg_pool2d@1)
 * or, with --torch26, vectors/torch-2.6-avg-pool (torch 2.6 in its chroot, quantized_avg_pool2d@2: the same requests,
 * ids quantized_avg_pool2d2_<capability>-NNNNN). Needs an AVX512 host. scripts/vectors/capability_vector_set.ts runs them.
 *   npm run vectors:write:torch-avg-pool     rewrite the 1.13 set (vectors:write:torch26-avg-pool: the 2.6 set)
 *   npm run vectors:check:torch-avg-pool     regenerate, byte-identical or exit 1 (vectors:check:torch26-avg-pool)
 */
import { TORCH26_AVG_POOL_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedAvgPool2dCases } from '../../conformance/cases/quantized_avg_pool2d_cases.js';
import { type CapabilitySet, TORCH_1_13, TORCH_2_6, runCapabilitySetCli } from './capability_vector_set.js';

const SEED = 'qconform-torch-1.13-avg-pool-v1';

/** The 1.13 set, or (torch26) the 2.6 one: the same requests (generated as @1's) under its op name and id stem. */
function avgPoolSet(torch26: boolean): CapabilitySet {
  return {
    torch: torch26 ? TORCH_2_6 : TORCH_1_13,
    generatedAs: 'quantized_avg_pool2d@1',
    op: torch26 ? 'quantized_avg_pool2d@2' : 'quantized_avg_pool2d@1',
    stem: torch26 ? 'quantized_avg_pool2d2' : 'quantized_avg_pool2d',
    dir: torch26 ? TORCH26_AVG_POOL_VECTORS_DIR : TORCH_AVG_POOL_VECTORS_DIR,
    casesPerCapability: 130,
    cases: quantizedAvgPool2dCases,
    noun: 'pools',
    generatedBy: `npm run vectors:write:${torch26 ? 'torch26-avg-pool' : 'torch-avg-pool'}`,
    generatorVersion: 1,
  };
}

await runCapabilitySetCli('torch-avg-pool-vectors', 'torch quantized avg_pool2d golden vectors', SEED, avgPoolSet(false), avgPoolSet(true));
