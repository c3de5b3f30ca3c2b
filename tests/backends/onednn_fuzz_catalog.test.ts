/**
 * The torch-onednn backend's --fuzz draws (conformance/backends/torch/onednn_fuzz_catalog.ts), drawn as the fuzz runner
 * draws them (index 0, runner/fuzz/fuzz_op.ts): every conv is an onednn conv (torchOnednnConvCase; the torch
 * catalogue's torchConvCase drew qnnpack at index 0, so no conv was ever judged) that the backend claims, and each
 * onednn draw names the accumulator oneDNN 2.6.3 runs on the CPU: on Haswell's flags saturating int16 pairs for the
 * linears and, by geometry, for the convs (the per-CPU vector set's rule); on the VNNI host int32_wrap; the linears'
 * qnnpack draws stay as drawn. Not vacuous: the Haswell draws include both sat16 pairs and exact convs, the linears
 * draw both engines, and the CPU flags are asked once.
 */
import { describe, expect, it } from 'vitest';
import { CPU_MODELS } from '../../conformance/backends/cpu/cpu_models.js';
import { onednnFuzzCatalog } from '../../conformance/backends/torch/onednn_fuzz_catalog.js';
import { torchClaimedOps, torchOnednnRequestAccumulator, torchUniformAccumulator } from '../../conformance/backends/torch/onednn_accumulator.js';
import { torchOnednnConvCase } from '../../conformance/cases/conv_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { torchFuzzCatalog } from '../../conformance/cases/fuzz_catalogs.js';
import { unclaimedReason } from '../../conformance/runner/claims.js';
import { TORCH_1_13_SCHEME } from '../../conformance/runner/scheme.js';

const haswell = CPU_MODELS.find((c) => c.name === 'haswell')!;
const HASWELL_FLAGS = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma'];
const VNNI_FLAGS = [...HASWELL_FLAGS, 'avx512f', 'avx512bw', 'avx512_vnni'];

/** n draws per op at index 0, as the fuzz runner draws, beside what the unadapted generator draws from the same stream. */
function draws(flags: string[], n = 60) {
  let asked = 0;
  const catalog = onednnFuzzCatalog(haswell, () => (asked++, flags));
  const plain = torchFuzzCatalog();
  const pairs = catalog.flatMap((e, j) => {
    const unadapted = e.op === 'quantized_conv2d@1' ? torchOnednnConvCase : plain[j]!.factory;
    return Array.from({ length: n }, (_, i) => ({ got: e.factory(new CaseRandom(`onednn-fuzz/${e.op}/${i}`), 0), drawn: unadapted(new CaseRandom(`onednn-fuzz/${e.op}/${i}`), 0) }));
  });
  return { pairs, asked: () => asked, ops: catalog.map((e) => e.op) };
}

/** torch-onednn's claims on a CPU with these flags, as its start() in torch_builtins.ts states them. */
function onednnCaps(flags: string[]) {
  const accumulator = torchUniformAccumulator('onednn', flags);
  const ops = torchClaimedOps('onednn', flags, torchFuzzCatalog().map((e) => e.op));
  return { ops, schemes: [TORCH_1_13_SCHEME, 'torch-onednn@1'], ...(accumulator ? { accumulator } : {}) };
}

describe('torch-onednn --fuzz draws the accumulator of the CPU', () => {
  it('keeps the catalogue', () => {
    expect(draws(HASWELL_FLAGS, 1).ops).toEqual(torchFuzzCatalog().map((e) => e.op));
  });

  it("Haswell: each onednn draw states oneDNN's accumulator there; other schemes stay as drawn", () => {
    const { pairs, asked } = draws(HASWELL_FLAGS);
    expect(asked()).toBe(1);
    const seen = new Set<string>();
    let untouched = 0;
    for (const { got, drawn } of pairs) {
      if (drawn.attrs?.scheme !== 'torch-onednn@1') {
        expect(got).toEqual(drawn);
        untouched++;
        continue;
      }
      const expected = torchOnednnRequestAccumulator(HASWELL_FLAGS, { id: 'fuzz', ...drawn });
      expect(got.attrs?.accumulator).toBe(expected);
      expect({ ...got, attrs: { ...got.attrs, accumulator: drawn.attrs?.accumulator } }).toEqual(drawn);
      seen.add(`${got.op} ${expected}`);
    }
    expect(untouched).toBeGreaterThan(0);
    expect(seen).toContain('quantized_linear_dynamic@1 sat16_pairs');
    expect(seen).toContain('quantized_linear@1 sat16_pairs');
    expect(seen).toContain('quantized_conv2d@1 int32_wrap');
    expect([...seen].some((s) => s.startsWith('quantized_conv2d@1 sat16'))).toBe(true);
  });

  it('VNNI host: every onednn draw int32_wrap', () => {
    const onednn = draws(VNNI_FLAGS).pairs.filter((p) => p.drawn.attrs?.scheme === 'torch-onednn@1');
    expect(onednn.length).toBeGreaterThan(0);
    for (const { got } of onednn) expect(got.attrs?.accumulator).toBe('int32_wrap');
  });

  it('every conv drawn at index 0 is an onednn conv the backend claims; the linears are claimed in part (both engines drawn)', () => {
    for (const flags of [HASWELL_FLAGS, VNNI_FLAGS]) {
      const caps = onednnCaps(flags);
      const { pairs } = draws(flags);
      const convs = pairs.filter((p) => p.got.op === 'quantized_conv2d@1');
      expect(convs.length).toBe(60);
      for (const { got } of convs) {
        expect(got.attrs?.scheme).toBe('torch-onednn@1');
        expect(unclaimedReason(caps, { id: 'fuzz', ...got })).toBeNull();
      }
      for (const op of ['quantized_linear@1', 'quantized_linear_dynamic@1']) {
        const linears = pairs.filter((p) => p.got.op === op);
        const claimed = linears.filter((p) => !unclaimedReason(caps, { id: 'fuzz', ...p.got })).length;
        expect(claimed, op).toBeGreaterThan(15);
        expect(claimed, op).toBeLessThan(linears.length);
      }
    }
  });
});
