/**
 * torch quantized::add vectors: `generate [--write]` runs the cases of conformance/cases/quantized_add_cases.ts
 * through real torch, one torch process per ATen CPU capability (ATEN_CPU_CAPABILITY=default, avx2, avx512; the
 * capability is fixed when torch starts), and compares with (or rewrites) vectors/torch-1.13-add (torch 1.13 on the
 * host, quantized_add@1) or, with --torch26, vectors/torch-2.6-add (torch 2.6 in its chroot, quantized_add@2: the same
 * requests, ids quantized_add2_<capability>-NNNNN). The avx512 cases need a host with AVX512 (torch falls back to AVX2
 * elsewhere, and the generator refuses). scripts/vectors/capability_vector_set.ts runs them.
 *   npm run vectors:write:torch-add     rewrite the 1.13 set (vectors:write:torch26-add: the 2.6 set)
 *   npm run vectors:check:torch-add     regenerate, byte-identical or exit 1 (vectors:check:torch26-add)
 */
import { TORCH26_ADD_VECTORS_DIR, TORCH_ADD_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { quantizedAddCases } from '../../conformance/cases/quantized_add_cases.js';
import { type CapabilitySet, TORCH_1_13, TORCH_2_6, runCapabilitySetCli } from './capability_vector_set.js';

const SEED = 'qconform-torch-1.13-add-v1';

/** The 1.13 set, or (torch26) the 2.6 one: the same requests (generated as @1's) under its op name and id stem. */
function addSet(torch26: boolean): CapabilitySet {
  return {
    torch: torch26 ? TORCH_2_6 : TORCH_1_13,
    generatedAs: 'quantized_add@1',
    op: torch26 ? 'quantized_add@2' : 'quantized_add@1',
    stem: torch26 ? 'quantized_add2' : 'quantized_add',
    dir: torch26 ? TORCH26_ADD_VECTORS_DIR : TORCH_ADD_VECTORS_DIR,
    casesPerCapability: 200,
    cases: quantizedAddCases,
    noun: 'adds',
    generatedBy: `npm run vectors:write:${torch26 ? 'torch26-add' : 'torch-add'}`,
    generatorVersion: 1,
  };
}

await runCapabilitySetCli('torch-add-vectors', 'torch quantized::add golden vectors', SEED, addSet(false), addSet(true));
