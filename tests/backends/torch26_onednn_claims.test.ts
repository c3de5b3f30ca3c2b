/**
 * torch 2.6's onednn convs (torch-onednn@2) are claimed on AVX-512 VNNI and AVX2 CPUs and not on an AMX CPU, where
 * real torch 2.6 answered 5 of vectors/torch-2.6's 1,200 onednn convs otherwise (torch26_builtins.ts).
 */
import { describe, expect, it } from 'vitest';
import { torch26OnednnConvClaimed } from '../../conformance/backends/torch/torch26_builtins.js';

describe('torch26-onednn conv claims by CPU', () => {
  it('claims the convs without AMX, not with it', () => {
    expect(torch26OnednnConvClaimed(['avx2', 'fma', 'avx512f', 'avx512_vnni'])).toBe(true);
    expect(torch26OnednnConvClaimed(['avx2', 'fma'])).toBe(true);
    expect(torch26OnednnConvClaimed(['avx2', 'fma', 'avx512f', 'avx512_vnni', 'amx_tile', 'amx_int8'])).toBe(false);
  });
});
