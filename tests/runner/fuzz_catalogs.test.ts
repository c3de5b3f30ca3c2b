import { describe, expect, it } from 'vitest';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { EVERY_OP_FUZZ_CATALOG, ORT_FUZZ_CATALOG, torchFuzzCatalog } from '../../conformance/cases/fuzz_catalogs.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { unclaimedReason } from '../../conformance/runner/claims.js';
import { TORCH_1_13_SCHEME } from '../../conformance/runner/scheme.js';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';

/** `--fuzz` draws every op a built-in claims, and a generator whose draws the built-in never claims is not in its catalogue. */
describe('fuzz catalogues of the built-ins', () => {
  it('reference and impl draw every op they claim; onnxruntime every op it runs', async () => {
    for (const name of ['reference', 'impl']) {
      const backend = await builtinBackend(name)!.create();
      expect(builtinBackend(name)!.fuzzCatalog).toBe(EVERY_OP_FUZZ_CATALOG);
      expect([...new Set(EVERY_OP_FUZZ_CATALOG.map((e) => e.op))].sort(), name).toEqual([...backend.capabilities.ops].sort());
    }
    expect(builtinBackend('onnxruntime')!.fuzzCatalog).toBe(ORT_FUZZ_CATALOG);
    expect(ORT_FUZZ_CATALOG.map((e) => e.op).sort()).toEqual(Object.keys(ORT_OPS).sort());
  });

  it("each onnxruntime generator draws cases of ORT's scheme (none is skipped wholesale)", () => {
    const caps = { ops: Object.keys(ORT_OPS), schemes: ['onnxruntime@1'] };
    for (const { op, factory } of ORT_FUZZ_CATALOG) {
      const r = new CaseRandom('fuzz-catalog-check');
      const claimed = Array.from({ length: 50 }, (_, i) => factory(r, i)).filter((q) => !unclaimedReason(caps, { id: 'x', ...q })).length;
      expect(claimed, op).toBeGreaterThan(25);
    }
  });

  it('torch-qnnpack and torch-onednn both draw the linears, each on both engines (half of the draws in its claims, not vacuous)', () => {
    expect(torchFuzzCatalog().map((e) => e.op)).toEqual(expect.arrayContaining(['quantized_linear@1', 'quantized_linear_dynamic@1']));
    for (const name of ['torch-qnnpack', 'torch-onednn']) expect(builtinBackend(name)!.fuzzCatalog?.map((e) => e.op)).toEqual(torchFuzzCatalog().map((e) => e.op));
    for (const engine of ['qnnpack', 'onednn']) {
      const caps = { ops: ['quantized_linear@1', 'quantized_linear_dynamic@1'], schemes: [`torch-${engine}@1`] };
      for (const { op, factory } of torchFuzzCatalog().filter((e) => e.op.startsWith('quantized_linear'))) {
        const r = new CaseRandom('fuzz-catalog-check');
        const claimed = Array.from({ length: 60 }, () => factory(r, 0)).filter((q) => !unclaimedReason(caps, { id: 'x', ...q })).length;
        expect(claimed, `${engine} ${op}`).toBeGreaterThan(15);
      }
    }
  });

  it("each torch-qnnpack and torch-onednn generator, drawn at index 0 as --fuzz draws, draws cases of the engine's scheme (none is skipped wholesale)", () => {
    for (const engine of ['qnnpack', 'onednn']) {
      const builtin = builtinBackend(`torch-${engine}`)!;
      const catalog = builtin.fuzzCatalogOn?.(HOST_CPU) ?? builtin.fuzzCatalog!;
      const caps = { ops: catalog.map((e) => e.op), schemes: [TORCH_1_13_SCHEME, `torch-${engine}@1`] };
      for (const { op, factory } of catalog) {
        const r = new CaseRandom('fuzz-catalog-check');
        const claimed = Array.from({ length: 60 }, () => factory(r, 0)).filter((q) => !unclaimedReason(caps, { id: 'x', ...q })).length;
        expect(claimed, `${engine} ${op}`).toBeGreaterThan(15);
      }
    }
  });
});
