/**
 * ORT 1.30's matmuls with K = 0 and a b scale or zero point of rank > 1, live on onnxruntime-node 1.30: the overload of
 * MatMulComputeHelper::Compute that takes b's parameter shapes (core/providers/cpu/math/matmul_helper.h,
 * SetRightMatrixQuantParam) computes each GEMM's parameter offset as RightOffsets[i] / K, so ORT's process dies of
 * SIGFPE (contract/onnx_matmul_checks.ts ortMatmulK0ParamDies). qconform returned the empty outputs of such requests
 * (a [0, 0] x b [0, 3] with b_zero_point [1, 3]; a [1, 0, 0] x b [2, 0, 3] with [2, 1, 3]) and the backend sent them
 * to ORT, whose process died; now the contract refuses them (shape_mismatch naming the SIGFPE) and the onnxruntime
 * backend answers them not_run (ort_known_crashes.ts).
 * The grid: K = 0 shape pairs (2-D, 1-D a, the helper's 2-D path with b's batch dropped or a's batch empty, the
 * broadcast path with a batch of 2 or an empty one, a 1-D b, shapes ORT refuses) x the parameter shapes each op's
 * kernel hands the helper (per tensor, [N], b's shape with dim -2 = 1, a rank-2 or rank-3 shape ORT does not support;
 * MatMulIntegerToFloat's swapped a_scale). Where the predicate says ORT dies, ORT's own process (ort_server.ts, known
 * crashes let through) dies of SIGFPE; everywhere else ORT answers in this process and reference and impl give its
 * output or refuse as it does.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { ortIntegerToFloatK0Dies } from '../../contract/matmul_integer_to_float_checks.js';
import { matmulOutputShape, ortMatMulIntegerDies, ortQLinearMatMulDies } from '../../contract/onnx_matmul_checks.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay, expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { inOrtProcess } from '../support/ort_crash_process.js';
import { installedOrt } from '../support/installed_ort.js';

type Answer = { outputs?: { y: { shape: number[] } }; error?: { code: string; message: string }; not_run?: string };
type Op = 'matmul_integer@1' | 'qlinear_matmul@1' | 'matmul_integer_to_float@1' | 'dynamic_quantize_matmul@1';

/** K = 0 shape pairs: [a, b] */
const SHAPES: [number[], number[]][] = [
  [[0, 0], [0, 3]], // empty output
  [[2, 0], [0, 3]], // non-empty output (EMPTY_K)
  [[0], [0, 3]], // 1-D a
  [[1, 0, 0], [2, 0, 3]], // 2-D path: b's batch dropped, empty output
  [[0, 1, 0], [0, 0, 3]], // 2-D path: a's batch empty, one GEMM all the same
  [[2, 0], [2, 0, 3]], // broadcast path, 2 GEMMs
  [[0, 1, 0], [1, 0, 0, 3]], // broadcast path, no GEMM
  [[0, 0], [0]], // 1-D b
  [[1, 0], [0, 0, 3]], // ORT's helper refuses the batch
];

/** b's parameter shapes: per tensor, [N], b's shape with dim -2 = 1, shapes IsBQuantParamSupported refuses (ranks 2, 3) */
function paramShapes(b: readonly number[]): Record<string, number[]> {
  const column = b.length >= 2 ? b.map((d, i) => (i === b.length - 2 ? 1 : d)) : [1, 1];
  return { tensor: [], vector: [b.at(-1)!], column, rank2: [2, 5], rank3: [1, 1, b.at(-1)!] };
}

const n = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const u8 = (s: number[], v: number) => wireInt('quint8', s, Array<number>(n(s)).fill(v));
const f32 = (s: number[], v: number) => wireF32(s, Array<number>(n(s)).fill(v));

interface Params { zp?: number[]; scale?: number[]; aScale?: number[] }

function request(op: Op, a: number[], b: number[], p: Params): WireRequest {
  const id = `${op} a [${a}] b [${b}] ${JSON.stringify(p)}`;
  const inputs: Record<string, unknown> = { b: u8(b, 4) };
  if (p.zp) inputs.b_zero_point = u8(p.zp, 2);
  if (op === 'matmul_integer@1') inputs.a = u8(a, 1);
  if (op === 'qlinear_matmul@1') Object.assign(inputs, { a: u8(a, 1), a_scale: f32([], 0.5), a_zero_point: u8([], 3), b_scale: f32(p.scale ?? [], 0.25), y_scale: f32([], 1), y_zero_point: u8([], 7) });
  if (op === 'matmul_integer_to_float@1') Object.assign(inputs, { a: u8(a, 1), a_scale: f32(p.aScale ?? [], 0.5), b_scale: f32(p.scale ?? [], 0.25) });
  if (op === 'dynamic_quantize_matmul@1') Object.assign(inputs, { a: f32(a, 1), b_scale: f32(p.scale ?? [], 0.25) });
  return { id, op, attrs: { accumulator: 'int32_wrap' }, inputs } as WireRequest;
}

function grid(): { op: Op; request: WireRequest }[] {
  const out: { op: Op; request: WireRequest }[] = [];
  for (const [a, b] of SHAPES) {
    const s = paramShapes(b);
    const add = (op: Op, p: Params) => out.push({ op, request: request(op, a, b, p) });
    for (const zp of [undefined, s.tensor, s.vector, s.column, s.rank2, s.rank3]) add('matmul_integer@1', { zp });
    for (const [zp, scale] of [[s.tensor, s.tensor], [s.tensor, s.column], [s.column, s.tensor], [s.vector, s.column], [s.column, s.vector], [s.column, s.column], [s.rank2, s.column]]) add('qlinear_matmul@1', { zp, scale });
    for (const op of ['matmul_integer_to_float@1', 'dynamic_quantize_matmul@1'] as const) {
      // b_scale rank3 [1, 1, N] is never IsBQuantParamSupported here: ScaleOutput applies it, the helper never sees it;
      // a zero point of rank > 1 not of b's rank ends the helper (an error) before it looks at the scale
      for (const [zp, scale] of [[undefined, s.tensor], [undefined, s.column], [undefined, s.rank3], [s.column, s.tensor], [s.column, s.rank3], [s.rank2, s.tensor], [s.rank3, s.tensor], [s.rank3, s.column]]) add(op, { zp, scale });
    }
    add('matmul_integer_to_float@1', { aScale: [1, b.at(-1)!], scale: [] }); // FixupScaleTensor swaps it into b_scale
  }
  return out;
}

function dies(op: Op, r: WireRequest): boolean {
  const t = (name: string) => (r.inputs as Record<string, { shape: number[] } | undefined>)[name] ?? null;
  const args = { a: t('a')!, b: t('b')!, aScale: t('a_scale'), bScale: t('b_scale')!, aZeroPoint: t('a_zero_point'), bZeroPoint: t('b_zero_point'), yScale: t('y_scale')!, yZeroPoint: t('y_zero_point')! };
  if (op === 'matmul_integer@1') return ortMatMulIntegerDies(args as never);
  if (op === 'qlinear_matmul@1') return ortQLinearMatMulDies(args as never);
  return ortIntegerToFloatK0Dies(args);
}

/** reference and impl refuse `r` with `code` (and a message containing `message`). */
function expectRefused(r: WireRequest, code: string, message?: string): void {
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const got = evaluateRequest(ops, r) as Answer;
    expect(got.error?.code, `${evalReplay(r, name)}: got ${JSON.stringify(got).slice(0, 200)}`).toBe(code);
    if (message) expect(got.error?.message, evalReplay(r, name)).toContain(message);
  }
}

describe("matmuls with K = 0 and a b parameter of rank > 1 kill ONNX Runtime 1.30's process (SIGFPE)", () => {
  const cases = grid().map((c) => ({ ...c, dies: dies(c.op, c.request) }));

  it("the prober's cases: a [0, 0] x b [0, 3] with b_zero_point [1, 3], a [1, 0, 0] x b [2, 0, 3] with [2, 1, 3]", { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    for (const op of ['matmul_integer@1', 'qlinear_matmul@1', 'matmul_integer_to_float@1'] as const) {
      for (const [a, b, zp] of [[[0, 0], [0, 3], [1, 3]], [[1, 0, 0], [2, 0, 3], [2, 1, 3]]]) {
        const r = request(op, a!, b!, { zp, scale: op === 'qlinear_matmul@1' ? zp : [] });
        // qconform returned the empty output here; ORT's process dies
        expectRefused(r, 'shape_mismatch', 'SIGFPE');
        const [inProcess] = (await runThroughOrt(ort, [r])) as Answer[];
        expect(inProcess!.not_run, r.id).toMatch(/^not run on ORT \(its process dies of this request's shape: K = 0/);
        expect(inProcess!.error?.code, r.id).toBe('shape_mismatch');
        expect(await inOrtProcess<Answer>(r), `${r.id}: ORT's process dies`).toEqual({ answer: null, signal: 'SIGFPE' });
      }
    }
  });

  it('the grid: ORT dies of SIGFPE exactly where the predicate says (each in its own process); qconform refuses those', { timeout: 300_000 }, async () => {
    const crashing = cases.filter((c) => c.dies);
    let emptyOutputs = 0;
    for (const { request: r } of crashing) {
      expectRefused(r, 'shape_mismatch', 'SIGFPE');
      const t = r.inputs as Record<string, { shape: number[] }>;
      if (n(matmulOutputShape(t.a!.shape, t.b!.shape) ?? [1]) === 0) emptyOutputs++;
    }
    for (let i = 0; i < crashing.length; i += 2) {
      const pair = crashing.slice(i, i + 2);
      const got = await Promise.all(pair.map((c) => inOrtProcess<Answer>(c.request)));
      pair.forEach((c, k) => expect(got[k], `${c.request.id}: ORT's process dies`).toEqual({ answer: null, signal: 'SIGFPE' }));
    }
    // not vacuous: every op, and empty outputs (qconform returned them where it took the parameters)
    for (const op of ['matmul_integer@1', 'qlinear_matmul@1', 'matmul_integer_to_float@1', 'dynamic_quantize_matmul@1']) expect(crashing.filter((c) => c.op === op).length, op).toBeGreaterThan(3);
    expect(emptyOutputs).toBeGreaterThan(10);
  });

  it('the grid elsewhere: ORT answers (in this process, not kept from it), and reference and impl give its output or refuse', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const living = cases.filter((c) => !c.dies);
    const answers = (await runThroughOrt(ort, living.map((c) => c.request))) as Answer[];
    let outputs = 0;
    for (const [i, { request: r }] of living.entries()) {
      const answer = answers[i]!;
      expect(answer.not_run, r.id).toBeUndefined();
      const y = answer.outputs?.y;
      if (y && y.shape.includes(0)) {
        expectReferenceAndImplGiveY(r, answer);
        outputs++;
        continue;
      }
      // ORT refuses, or returns values its MLAS GEMM never wrote (K = 0, non-empty output): qconform refuses
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, r) as Answer;
        expect(got.error, `${evalReplay(r, name)}: ORT answered ${JSON.stringify(answer).slice(0, 300)}`).toBeDefined();
        if (y) expect(got.error?.message, evalReplay(r, name)).toContain('K = 0 with a non-empty output');
      }
    }
    expect(outputs).toBeGreaterThan(20);
  });
});
