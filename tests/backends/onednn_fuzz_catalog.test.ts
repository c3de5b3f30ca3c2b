/**
 * The torch-onednn backend's --fuzz draws (conformance/backends/torch/onednn_fuzz_catalog.ts) name the accumulator
 * oneDNN 2.6.3 runs on the CPU: on Haswell's flags saturating int16 pairs for the linears and, by geometry, for the
 * convs (the per-CPU vector set's rule); on the VNNI host int32_wrap; qnnpack draws stay as drawn. Not vacuous: the
 * Haswell draws include both sat16 pairs and exact convs, and the CPU flags are asked once.
 */
import { describe, expect, it } from 'vitest';
import { CPU_MODELS } from '../../conformance/backends/cpu/cpu_models.js';
import { onednnFuzzCatalog } from '../../conformance/backends/torch/onednn_fuzz_catalog.js';
import { torchOnednnRequestAccumulator } from '../../conformance/backends/torch/onednn_accumulator.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { torchFuzzCatalog } from '../../conformance/cases/fuzz_catalogs.js';

const haswell = CPU_MODELS.find((c) => c.name === 'haswell')!;
const HASWELL_FLAGS = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma'];
const VNNI_FLAGS = [...HASWELL_FLAGS, 'avx512f', 'avx512bw', 'avx512_vnni'];

function draws(flags: string[], n = 60) {
  let asked = 0;
  const catalog = onednnFuzzCatalog(haswell, () => (asked++, flags));
  const plain = torchFuzzCatalog();
  const pairs = catalog.flatMap((e, j) =>
    Array.from({ length: n }, (_, i) => ({ got: e.factory(new CaseRandom(`onednn-fuzz/${e.op}/${i}`), i), drawn: plain[j]!.factory(new CaseRandom(`onednn-fuzz/${e.op}/${i}`), i) })),
  );
  return { pairs, asked: () => asked, ops: catalog.map((e) => e.op) };
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
    expect([...seen].some((s) => s.startsWith('quantized_conv2d@1 sat16'))).toBe(true);
  });

  it('VNNI host: every onednn draw int32_wrap', () => {
    const onednn = draws(VNNI_FLAGS).pairs.filter((p) => p.drawn.attrs?.scheme === 'torch-onednn@1');
    expect(onednn.length).toBeGreaterThan(0);
    for (const { got } of onednn) expect(got.attrs?.accumulator).toBe('int32_wrap');
  });
});
