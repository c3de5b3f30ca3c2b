/**
 * torch quantized::cat vectors: `generate [--write]` runs the cases of conformance/cases/quantized_cat_cases.ts
 * through real torch, one torch process per ATen CPU capability (ATEN_CPU_CAPABILITY=default, avx2, avx512; the
 * capability is fixed when torch starts, and it decides which channels take the NHWC kernel's vector form), and compares
 * with (or rewrites) vectors/torch-1.13-cat (torch 1.13 on the host, quantized_cat@1) or, with --torch26,
 * vectors/torch-2.6-cat (torch 2.6 in its chroot, quantized_cat@2: the same requests, ids quantized_cat2_<capability>-NNNNN).
 * The avx512 cases need a host with AVX512 (torch falls back to AVX2 elsewhere, and the generator refuses).
 * scripts/vectors/capability_vector_set.ts runs them.
 *   npm run vectors:write:torch-cat     rewrite the 1.13 set (vectors:write:torch26-cat: the 2.6 set)
 *   npm run vectors:check:torch-cat     regenerate, byte-identical or exit 1 (vectors:check:torch26-cat)
 */
import { TORCH26_CAT_VECTORS_DIR, TORCH_CAT_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedCatCases } from '../../conformance/cases/quantized_cat_cases.js';
import { type CapabilitySet, TORCH_1_13, TORCH_2_6, runCapabilitySetCli } from './capability_vector_set.js';

const SEED = 'qconform-torch-1.13-cat-v1';

/** The 1.13 set, or (torch26) the 2.6 one: the same requests (generated as @1's) under its op name and id stem. */
function catSet(torch26: boolean): CapabilitySet {
  return {
    torch: torch26 ? TORCH_2_6 : TORCH_1_13,
    generatedAs: 'quantized_cat@1',
    op: torch26 ? 'quantized_cat@2' : 'quantized_cat@1',
    stem: torch26 ? 'quantized_cat2' : 'quantized_cat',
    dir: torch26 ? TORCH26_CAT_VECTORS_DIR : TORCH_CAT_VECTORS_DIR,
    casesPerCapability: 130,
    cases: quantizedCatCases,
    noun: 'concatenations',
    generatedBy: `npm run vectors:write:${torch26 ? 'torch26-cat' : 'torch-cat'}`,
    generatorVersion: 1,
  };
}

await runCapabilitySetCli('torch-cat-vectors', 'torch quantized::cat golden vectors', SEED, catSet(false), catSet(true));
