/**
 * The torch26-qnnpack / torch26-onednn backends' --fuzz draws (conformance/backends/torch/torch26_fuzz_catalog.ts), drawn
 * as the fuzz runner draws them (index 0, runner/fuzz/fuzz_op.ts): every conv and linear is on the backend's own engine
 * (torch-qnnpack@1, or torch-onednn@2 as torch 2.6's onednn answers) and is claimed by the backend as its start() in
 * torch26_builtins.ts states its claims, except the onednn convs torch26OnednnConvRefusal leaves out; the accumulator
 * is torchUniformAccumulator's on the CPU (kept as drawn where it names none); the other ops are the torch 2.6 set's
 * generators themselves (the 2.x ops as TORCH2_FUZZ_CATALOG draws them). Not vacuous: each engine's convs and linears are drawn and claimed, the onednn refusal is hit,
 * and the CPU flags are asked once.
 */
import { describe, expect, it } from 'vitest';
import { CPU_MODELS } from '../../conformance/backends/cpu/cpu_models.js';
import { torch26FuzzCatalog } from '../../conformance/backends/torch/torch26_fuzz_catalog.js';
import { TORCH26_CONV_SCHEMES, torch26OnednnBackend, torch26OnednnConvRefusal, torch26QnnpackBackend } from '../../conformance/backends/torch/torch26_builtins.js';
import { type TorchEngine, torchUniformAccumulator } from '../../conformance/backends/torch/onednn_accumulator.js';
import { CATALOG } from '../../conformance/cases/catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { TORCH2_FUZZ_CATALOG, torch26Requests } from '../../conformance/cases/torch26_catalog.js';
import { TORCH_LINEAR_CATALOG } from '../../conformance/cases/torch_linear_catalog.js';
import { unclaimedReason } from '../../conformance/runner/claims.js';
import { TORCH_1_13_SCHEME } from '../../conformance/runner/scheme.js';

const haswell = CPU_MODELS.find((c) => c.name === 'haswell')!;
const HASWELL_FLAGS = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma'];
const VNNI_FLAGS = [...HASWELL_FLAGS, 'avx512f', 'avx512bw', 'avx512_vnni'];
const ENGINE_OPS = ['quantized_conv2d@1', 'quantized_linear@1', 'quantized_linear_dynamic@1'];
const N = 80;

/** The ops of the torch 2.6 vector sets (vectors/torch-2.6 and vectors/torch-2.6-linear). */
const SET_OPS = [...torch26Requests('ops-only', () => 0).map((g) => g.op), ...TORCH_LINEAR_CATALOG.map((e) => e.op)];

/** torch26-`engine`'s claims on a CPU with these flags, as its start() states them (the handshake lists the set's ops). */
function caps(engine: TorchEngine, flags: string[]) {
  const accumulator = torchUniformAccumulator(engine, flags);
  return {
    ops: SET_OPS,
    schemes: [TORCH_1_13_SCHEME, TORCH26_CONV_SCHEMES[engine]],
    ...(accumulator ? { accumulator } : {}),
    ...(engine === 'onednn' ? { unclaimedCase: torch26OnednnConvRefusal } : {}),
  };
}

/** N draws at index 0 of each conv and linear, as the fuzz runner draws. */
function draws(engine: TorchEngine, flags: string[]) {
  let asked = 0;
  const catalog = torch26FuzzCatalog(engine, haswell, () => (asked++, flags));
  const drawn = catalog
    .filter((e) => ENGINE_OPS.includes(e.op))
    .flatMap((e) => Array.from({ length: N }, (_, i) => ({ id: 'fuzz', ...e.factory(new CaseRandom(`torch26-fuzz/${engine}/${e.op}/${i}`), 0) })));
  return { catalog, drawn, asked: () => asked };
}

describe('torch26 --fuzz draws what each engine claims', () => {
  it('has a generator for every op of the torch 2.6 sets; the ops other than convs and linears are the set generators themselves (the 2.x ops as TORCH2_FUZZ_CATALOG draws them)', () => {
    for (const engine of ['qnnpack', 'onednn'] as const) {
      const { catalog } = draws(engine, VNNI_FLAGS);
      const ops = catalog.map((e) => e.op);
      for (const op of SET_OPS) expect(ops, op).toContain(op);
      expect(new Set(ops).size).toBe(ops.length);
      const setFactories = new Map([...CATALOG, ...TORCH2_FUZZ_CATALOG].map((e) => [e.op, e.factory]));
      for (const e of catalog.filter((e) => !ENGINE_OPS.includes(e.op))) expect(e.factory, e.op).toBe(setFactories.get(e.op));
    }
  });

  it('the built-ins bring these catalogues (host and per CPU)', () => {
    for (const b of [torch26QnnpackBackend, torch26OnednnBackend]) {
      expect(b.fuzzCatalog?.map((e) => e.op)).toEqual(draws('qnnpack', VNNI_FLAGS).catalog.map((e) => e.op));
      expect(b.fuzzCatalogOn).toBeDefined();
    }
  });

  for (const engine of ['qnnpack', 'onednn'] as const) {
    for (const [cpu, flags] of [['VNNI', VNNI_FLAGS], ['Haswell', HASWELL_FLAGS]] as const) {
      it(`${engine} on ${cpu}: convs and linears drawn at index 0 are on the engine, with its accumulator, and claimed`, () => {
        const { drawn, asked } = draws(engine, [...flags]);
        expect(asked()).toBe(1);
        const c = caps(engine, [...flags]);
        const claimedByOp = new Map<string, number>();
        const refused: string[] = [];
        for (const request of drawn) {
          expect(request.attrs?.scheme, request.op).toBe(TORCH26_CONV_SCHEMES[engine]);
          // qnnpack and onednn on VNNI: int32_wrap, as the backend claims; onednn without VNNI claims none and keeps the
          // draw's (int32_wrap, or none on the dynamic linear, whose default it is)
          if (engine === 'onednn' && cpu === 'Haswell') expect([undefined, 'int32_wrap']).toContain(request.attrs?.accumulator);
          else expect(request.attrs?.accumulator).toBe('int32_wrap');
          const why = unclaimedReason(c, request);
          if (why === null) claimedByOp.set(request.op, (claimedByOp.get(request.op) ?? 0) + 1);
          else refused.push(`${request.op}: ${why}`);
        }
        for (const op of ENGINE_OPS) expect(claimedByOp.get(op) ?? 0, op).toBeGreaterThan(N / 2);
        if (engine === 'qnnpack') expect(refused).toEqual([]);
        else {
          // only the convs oneDNN 3.7 reads unwritten memory on are left out, and they are drawn
          expect(refused.length).toBeGreaterThan(0);
          for (const r of refused) expect(r).toMatch(/^quantized_conv2d@1: .*onednn37_unwritten_reads/);
        }
        expect(c.accumulator ?? null).toBe(engine === 'onednn' && cpu === 'Haswell' ? null : 'int32_wrap');
      });
    }
  }
});
