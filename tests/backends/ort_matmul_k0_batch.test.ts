/**
 * ORT 1.30's matmuls with K = 0, live on onnxruntime-node 1.30 (in process): MatMulComputeHelper::Compute
 * (core/providers/cpu/math/matmul_helper.h) takes its 2-D path when rank(a) >= rank(b) >= 2 and b's dimensions before
 * its last multiply to b's K, which K = 0 makes true whatever b's batch: the output keeps a's batch dimensions (b's
 * are dropped, not broadcast), once the one-node model's ONNX shape inference has accepted the two batches as numpy
 * broadcasts them (contract/onnx_matmul_checks.ts flattensA, matmulBatch). qconform broadcast them: matmul_integer16@1
 * a [1, 1, 0] x b [2, 0, 2] gave y [2, 1, 2] where ORT gives [1, 1, 2] (the prober's case), and the MLAS matmuls'
 * empty outputs had b's batch or were refused. The grid: a [...batch, M, 0] x b [...batch, 0, N] (and 1-D a, b [0]),
 * batch prefixes of length 0-2 over {0, 1, 2, 3}, M in {0, 2}, N in {0, 3}, on every op whose shapes matmulGeometry
 * gives: ORT's output (MatMulInteger16's zeros, the others' empty outputs) or its refusal, and for a non-empty output of
 * an MLAS matmul (values ORT never writes) qconform's EMPTY_K refusal.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay, expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

type Answer = { outputs?: { y: { shape: number[] } }; error?: { code: string; message: string } };

const OPS = ['matmul_integer16@1', 'matmul_integer@1', 'qlinear_matmul@1', 'matmul_integer_to_float@1', 'dynamic_quantize_matmul@1'] as const;
type Op = (typeof OPS)[number];

function shapes(): [number[], number[]][] {
  const prefixes: number[][] = [[]];
  for (const d of [0, 1, 2, 3]) prefixes.push([d]);
  for (const d of [0, 1, 2, 3]) for (const e of [0, 1, 2, 3]) prefixes.push([d, e]);
  const as: number[][] = [[0]];
  const bs: number[][] = [[0]];
  for (const p of prefixes) for (const m of [0, 2]) as.push([...p, m, 0]);
  for (const p of prefixes) for (const n of [0, 3]) bs.push([...p, 0, n]);
  return as.flatMap((a) => bs.map((b): [number[], number[]] => [a, b]));
}

function request(op: Op, a: number[], b: number[]): WireRequest {
  const id = `${op} a [${a}] b [${b}]`;
  const u8 = (shape: number[]) => wireInt('quint8', shape, []);
  const inputs: Record<string, unknown> =
    op === 'matmul_integer16@1' ? { a: wireInt('int16', a, []), b: wireInt('int16', b, []) }
    : op === 'matmul_integer@1' ? { a: u8(a), b: u8(b) }
    : op === 'qlinear_matmul@1' ? { a: u8(a), a_scale: wireF32([], [0.5]), a_zero_point: wireInt('quint8', [], [3]), b: u8(b), b_scale: wireF32([], [0.25]), b_zero_point: wireInt('quint8', [], [5]), y_scale: wireF32([], [1]), y_zero_point: wireInt('quint8', [], [7]) }
    : op === 'matmul_integer_to_float@1' ? { a: u8(a), a_scale: wireF32([], [0.5]), b: u8(b), b_scale: wireF32([], [0.25]) }
    : { a: wireF32(a, []), b: u8(b), b_scale: wireF32([], [0.25]) };
  return { id, op, attrs: op === 'matmul_integer16@1' ? {} : { accumulator: 'int32_wrap' }, inputs } as WireRequest;
}

/** rank(a) >= rank(b) >= 2 and b's batch not all 1: where ORT's K = 0 path differs from broadcasting. */
const kZeroPath = (a: readonly number[], b: readonly number[]) => a.length >= b.length && b.length >= 3 && b.slice(0, -2).some((d) => d !== 1);

describe('matmuls with K = 0 keep a\'s batch dimensions where ONNX Runtime 1.30 takes its 2-D path', () => {
  it('the prober\'s case: matmul_integer16@1 a [1, 1, 0] x b [2, 0, 2] is y [1, 1, 2] of zeros', { timeout: 60_000 }, async () => {
    const ort = await installedOrt();
    const r = request('matmul_integer16@1', [1, 1, 0], [2, 0, 2]);
    const [answer] = (await runThroughOrt(ort, [r])) as Answer[];
    expect(answer!.outputs?.y, 'ORT 1.30 as recorded').toEqual({ dtype: 'int32', shape: [1, 1, 2], values: [0, 0] });
    expectReferenceAndImplGiveY(r, answer!);
  });

  for (const op of OPS) {
    it(`${op}: the K = 0 grid gives ORT's output shape, or ORT's refusal`, { timeout: 300_000 }, async () => {
      const ort = await installedOrt();
      const requests = shapes().map(([a, b]) => request(op, a, b));
      const answers = (await runThroughOrt(ort, requests)) as Answer[];
      let newPath = 0;
      for (const [i, r] of requests.entries()) {
        const answer = answers[i]!;
        const [a, b] = [(r.inputs!.a as { shape: number[] }).shape, (r.inputs!.b as { shape: number[] }).shape];
        const y = answer.outputs?.y;
        if (y && (op === 'matmul_integer16@1' || y.shape.includes(0))) {
          expectReferenceAndImplGiveY(r, answer);
          if (kZeroPath(a, b)) newPath++;
          continue;
        }
        // ORT refuses, or an MLAS matmul returns values it never wrote: qconform refuses (EMPTY_K for the latter)
        for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
          const got = evaluateRequest(ops, r) as Answer;
          expect(got.error?.code, `${evalReplay(r, name)}: ORT answered ${JSON.stringify(answer).slice(0, 200)}`).toBe('shape_mismatch');
          if (y) expect(got.error?.message, evalReplay(r, name)).toContain('K = 0 with a non-empty output');
        }
      }
      // not vacuous: outputs on the path where ORT keeps a's batch and b's batch is not all 1
      expect(newPath).toBeGreaterThan(op === 'matmul_integer16@1' ? 250 : 200);
    });
  }
});
