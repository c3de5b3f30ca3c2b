/**
 * MatMulIntegerToFloat / DynamicQuantizeMatMul with an empty scale that ScaleOutput multiplies into a non-empty output,
 * live on onnxruntime-node 1.30: ORT's Broadcaster takes a 0 against a 1 or a missing dimension ("Can broadcast 0 by 0
 * or 1"), so the scale broadcasts to no element of the output, and ORT's process dies of SIGSEGV
 * (contract/matmul_integer_to_float_checks.ts scaleEmptiesOutput). qconform refused these (shape_mismatch), but the
 * onnxruntime backend sent them to ORT (ortScaleOutputDies saw only scales broadcasting past the output), which killed
 * `qconform run --backend onnxruntime`'s process; now it answers the contract's refusal, not_run.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';
import { inOrtProcess } from '../support/ort_crash_process.js';
import { installedOrt } from '../support/installed_ort.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string }; not_run?: string };
const n = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const u8 = (s: number[]) => wireInt('quint8', s, Array.from({ length: n(s) }, (_, i) => (i * 37 + 5) % 256));
const f32 = (s: number[]) => wireF32(s, Array<number>(n(s)).fill(0.25));

function request(op: 'matmul_integer_to_float@1' | 'dynamic_quantize_matmul@1', a: number[], b: number[], scales: { a?: number[]; b: number[] }): WireRequest {
  const id = `${op} a [${a}] b [${b}] ${JSON.stringify(scales)}`;
  const inputs: Record<string, unknown> = op === 'matmul_integer_to_float@1'
    ? { a: u8(a), b: u8(b), a_scale: f32(scales.a ?? []), b_scale: f32(scales.b) }
    : { a: wireF32(a, Array.from({ length: n(a) }, (_, i) => i - 1.5)), b: u8(b), b_scale: f32(scales.b) };
  return { id, op, attrs: { accumulator: 'int32_wrap' }, inputs } as WireRequest;
}

const DYING = [
  request('matmul_integer_to_float@1', [1, 2], [2, 3], { b: [0, 3] }),
  request('matmul_integer_to_float@1', [2], [2, 3], { b: [0, 1] }),
  request('matmul_integer_to_float@1', [1, 2], [2, 3], { a: [0, 1, 1], b: [] }),
  request('dynamic_quantize_matmul@1', [1, 2], [2, 3], { b: [0, 3] }),
];

describe('an empty scale ScaleOutput broadcasts to no element of a non-empty output kills ONNX Runtime 1.30 (SIGSEGV)', () => {
  it("ORT's own process dies; reference and impl refuse (shape_mismatch); the onnxruntime backend answers not_run", { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    for (const r of DYING) {
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, r) as Answer;
        expect(got.error?.code, evalReplay(r, name)).toBe('shape_mismatch');
        expect(got.error?.message, evalReplay(r, name)).toContain('broadcasts to no element of the output');
      }
      const [inProcess] = (await runThroughOrt(ort, [r])) as Answer[];
      expect(inProcess!.not_run, r.id).toMatch(/^not run on ORT \(its process dies of this request's shape: a scale ScaleOutput broadcasts past the output \(or to no element/);
      expect(await inOrtProcess<Answer>(r), `${r.id}: ORT's process dies`).toEqual({ answer: null, signal: 'SIGSEGV' });
    }
  });
});
