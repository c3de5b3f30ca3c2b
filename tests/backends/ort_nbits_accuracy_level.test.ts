/**
 * MatMulNBits' accuracy_level, live on onnxruntime-node 1.30 (in process, this host's CPU): GetComputeType
 * (matmul_nbits.cc) compares the int64 attribute with 4 (SQNBIT_CompInt8) and gives SQNBIT_CompFp32 for anything else,
 * with no range check, so -1, 5 and any other integer compute as 0-3 do. qconform refused them (invalid_integer,
 * "an integer in [0, 4]"); now it gives ORT's bytes, which equal level 0's. The requests: the catalog's generator
 * (conformance/cases/onnx_nbits_cases.ts, pinned seed; several rows, one row, bits 2, 4 and 8), each at every level
 * below, with the CPU's qnbit_kernel.
 */
import { describe, expect, it } from 'vitest';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { cpuFlagsOn } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { ortCpuAttrs } from '../../conformance/backends/onnxruntime/ort_cpu_attrs.js';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { MATMUL_NBITS_M1_FROM, matmulNBitsCase } from '../../conformance/cases/onnx_nbits_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

type Answer = { outputs?: { y: unknown }; error?: { code: string; message: string } };

const SEED = 'k19-nbits-accuracy-level';
const LEVELS = [-1, 5, 6, 100, 2 ** 31, 2 ** 32 + 4, -(2 ** 40)];

function bases(): WireRequest[] {
  const r = new CaseRandom(SEED);
  const out: WireRequest[] = [];
  for (let i = 0; out.length < 16; i++) {
    const c = matmulNBitsCase(r, i < 10 ? i : MATMUL_NBITS_M1_FROM + i);
    const attrs = c.attrs as Record<string, number>;
    if (attrs.bits === 3 || attrs.block_size === 8) continue; // the generator's deliberate defects
    out.push({ id: `base-${i}`, ...c, attrs: { ...attrs, accuracy_level: 0 } } as WireRequest);
  }
  return out;
}

describe('MatMulNBits computes every accuracy_level but 4 as float32, as ONNX Runtime 1.30 does', () => {
  it('levels -1, 5, 6, 100, 2^31, 2^32 + 4, -2^40 give ORT\'s bytes, which are level 0\'s', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const flags = cpuFlagsOn(HOST_CPU);
    const withKernel = (q: WireRequest) => ortCpuAttrs(q, flags, { unmodelled: 'throw' });
    const base = bases().map(withKernel);
    const requests = base.flatMap((b) => LEVELS.map((level) => ({ ...b, id: `${b.id} accuracy_level ${level}`, attrs: { ...b.attrs, accuracy_level: level } })));
    const [baseAnswers, answers] = [(await runThroughOrt(ort, base)) as Answer[], (await runThroughOrt(ort, requests)) as Answer[]];
    let computed = 0;
    for (const [i, r] of requests.entries()) {
      const want = baseAnswers[Math.floor(i / LEVELS.length)]!;
      expect(answers[i], `${r.id}: ORT answers as at level 0`).toEqual({ ...want, id: r.id });
      if (!answers[i]!.outputs) continue;
      expectReferenceAndImplGiveY(r, answers[i]!);
      computed++;
    }
    // not vacuous: most bases compute (the generator's refused shapes aside), one-row and several-row ones
    expect(computed).toBeGreaterThan(LEVELS.length * 12);
  });
});
