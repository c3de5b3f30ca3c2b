/**
 * Scale and zero-point shapes of ONNX Runtime 1.30's integer matmuls, live against onnxruntime-node 1.30 (in process,
 * this host's CPU):
 *  - QLinearMatMul checks and indexes b_scale and b_zero_point each on its own (QLinearMatMul::Compute,
 *    quantize_linear_matmul.cc: IsBQuantParamSupported on each, RightScaleOffsets / RightZeroPointOffsets), so their
 *    shapes need not match; a_scale / a_zero_point and y_scale / y_zero_point are each [] or [1] on their own. qconform
 *    refused b_scale [N] with b_zero_point [] ("the same shape") though ORT computes it.
 *  - MatMulIntegerToFloat and DynamicQuantizeMatMul multiply a scale IsBQuantParamSupported does not take into the
 *    output (ScaleOutput); leading dimensions of 1 beyond the output's rank change nothing (ORT returns the output's
 *    shape). qconform refused them.
 *  - a scale ScaleOutput broadcasts past the output (a [5] x b [5] with a_scale [2, 1, 4], b_scale [1, 4]) segfaulted
 *    onnxruntime-node, killing `qconform run --backend onnxruntime`, which runs ORT in its own process on the host: the
 *    ORT backend now answers the contract's shape_mismatch without running it, and the run finishes with its report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { f32ToHex } from '../../contract/wire.js';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { cpuFlagsOn } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { ortCpuAttrs } from '../../conformance/backends/onnxruntime/ort_cpu_attrs.js';
import { loadOrt, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { runVectorLines } from '../support/cli_process.js';
import { expectNotRunReported } from '../support/not_run_report.js';
import { installedOrt } from '../support/installed_ort.js';

const SEED = 'ort-matmul-param-shapes';
const RANGE = { quint8: [0, 255], qint8: [-128, 127] } as const;
type Q = keyof typeof RANGE;
const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const replay = (q: WireRequest) => `seed ${SEED}; replay: echo '${JSON.stringify(q)}' | npx qconform eval --backend reference`;

function draw(r: CaseRandom) {
  const q = (dtype: Q, shape: readonly number[]) => ({ dtype, shape: [...shape], values: Array.from({ length: numel(shape) }, () => r.int(RANGE[dtype][0], RANGE[dtype][1])) });
  const f = (shape: readonly number[]) => ({ dtype: 'float32', shape: [...shape], hex: Array.from({ length: numel(shape) }, () => f32ToHex(Math.fround(r.int(1, 200) / 4096))) });
  return { q, f };
}

/** QLinearMatMul with b_scale of shape `bs` and b_zero_point of shape `bz` (and one-element a / y parameters of the shapes given). */
function qlinearMatMul(r: CaseRandom, id: string, a: number[], b: number[], bs: number[], bz: number[], one: { as: number[]; az: number[]; ys: number[]; yz: number[] }): WireRequest {
  const aDtype = r.pick(['quint8', 'qint8'] as const);
  const bDtype = aDtype === 'qint8' ? 'qint8' : r.pick(['quint8', 'qint8'] as const);
  const { q, f } = draw(r);
  const y = { dtype: 'float32', shape: one.ys, hex: [f32ToHex(Math.fround(r.pick([0.05, 0.3, 1.5])))] };
  return { id, op: 'qlinear_matmul@1', attrs: {}, inputs: { a: q(aDtype, a), a_scale: f(one.as), a_zero_point: q(aDtype, one.az), b: q(bDtype, b), b_scale: f(bs), b_zero_point: q(bDtype, bz), y_scale: y, y_zero_point: q(aDtype, one.yz) } };
}

function qlinearCases(): WireRequest[] {
  const r = new CaseRandom(SEED);
  const one = () => ({ as: r.pick([[], [1]]), az: r.pick([[], [1]]), ys: r.pick([[], [1]]), yz: r.pick([[], [1]]) });
  const out: WireRequest[] = [];
  // the prober's shapes (a [2, 3], b [3, 4]; a 3-D b [2, 3, 4])
  const fixed: [number[], number[], number[], number[]][] = [
    [[2, 3], [3, 4], [4], []],
    [[2, 3], [3, 4], [], [4]],
    [[2, 3], [3, 4], [], [1]],
    [[2, 3], [3, 4], [1, 4], [4]],
    [[2, 3], [3, 4], [4], [1, 4]],
    [[2, 2, 3], [2, 3, 4], [2, 1, 4], []],
    [[2, 2, 3], [2, 3, 4], [], [2, 1, 4]],
    [[2, 2, 3], [2, 3, 4], [1], [2, 1, 4]],
  ];
  fixed.forEach(([a, b, bs, bz], i) => out.push(qlinearMatMul(r, `qlm-fixed-${i}`, a, b, bs, bz, one())));
  for (let i = 0; i < 40; i++) {
    const rankB = r.pick([2, 2, 3, 4]);
    const [k, n, m] = [r.int(1, 9), r.int(2, 6), r.int(1, 4)];
    const batch = Array.from({ length: rankB - 2 }, () => r.int(1, 3));
    const column = rankB === 2 ? r.pick([[n], [1, n]]) : [...batch, 1, n];
    const tensor = r.pick([[], [1]]);
    const [bs, bz] = r.bool() ? [column, tensor] : [tensor, column];
    out.push(qlinearMatMul(r, `qlm-mixed-${i}`, [...batch, m, k], [...batch, k, n], bs, bz, one()));
  }
  // shapes ORT refuses: both must refuse
  out.push(qlinearMatMul(r, 'qlm-refused-0', [2, 2, 3], [2, 3, 4], [4], [], one()));
  out.push(qlinearMatMul(r, 'qlm-refused-1', [2, 3], [3, 4], [], [2, 4], one()));
  out.push(qlinearMatMul(r, 'qlm-refused-2', [2, 3], [3, 4], [3], [4], one()));
  return out;
}

/** MatMulIntegerToFloat / DynamicQuantizeMatMul with scales of extra leading 1 dimensions (and refused ones). */
function scaleOutputCases(): WireRequest[] {
  const r = new CaseRandom(`${SEED}-scale-output`);
  const { q, f } = draw(r);
  const mitf = (id: string, a: number[], b: number[], as: number[], bs: number[]): WireRequest => ({ id, op: 'matmul_integer_to_float@1', attrs: {}, inputs: { a: q('quint8', a), b: q('qint8', b), a_scale: f(as), b_scale: f(bs) } });
  const dqmm = (id: string, a: number[], b: number[], bs: number[]): WireRequest => ({ id, op: 'dynamic_quantize_matmul@1', attrs: {}, inputs: { a: { dtype: 'float32', shape: a, hex: Array.from({ length: numel(a) }, () => f32ToHex(Math.fround(r.int(-300, 300) / 64))) }, b: q('qint8', b), b_scale: f(bs) } });
  return [
    mitf('mitf-lead1-0', [1, 3], [3, 1], [1, 1, 1], []),
    mitf('mitf-lead1-1', [2, 3], [3, 4], [1, 1, 4], []),
    mitf('mitf-lead1-2', [2, 3], [3, 4], [1, 1, 2, 4], []),
    mitf('mitf-lead1-3', [2, 3], [3, 4], [1, 2, 1], []),
    mitf('mitf-lead1-4', [3], [3], [1, 1], []),
    mitf('mitf-lead1-5', [2, 3], [3, 4], [], [1, 1, 4]),
    mitf('mitf-lead1-6', [2, 3], [3, 4], [1, 1, 2, 1], [1, 1, 4]),
    mitf('mitf-lead1-7', [2, 2, 3], [3, 4], [1, 2, 1, 4], []),
    mitf('mitf-lead1-8', [0, 3], [3, 4], [1, 1, 4], []),
    dqmm('dqmm-lead1-0', [2, 3], [3, 4], [1, 1, 4]),
    dqmm('dqmm-lead1-1', [2, 2, 3], [3, 4], [1, 2, 1, 4]),
    dqmm('dqmm-lead1-2', [3], [3], [1, 1]),
    // ORT's BroadcastIterator refuses it; both refuse
    mitf('mitf-refused-0', [3, 2], [2, 4], [5], []),
  ];
}

/** Scales ScaleOutput broadcasts past the output: onnxruntime-node 1.30 segfaulted on the first two (exit 139), returned values on the others. */
function overrunCases(): WireRequest[] {
  const r = new CaseRandom(`${SEED}-overrun`);
  const { q, f } = draw(r);
  const mitf = (id: string, a: number[], b: number[], as: number[], bs: number[]): WireRequest => ({ id, op: 'matmul_integer_to_float@1', attrs: {}, inputs: { a: q('quint8', a), b: q('qint8', b), a_scale: f(as), b_scale: f(bs) } });
  return [
    mitf('matmul_integer_to_float-90000', [5], [5], [2, 1, 4], [1, 4]),
    mitf('matmul_integer_to_float-90001', [3, 2], [2, 1], [1, 4], []),
    mitf('matmul_integer_to_float-90002', [1, 3], [3, 1], [2, 1, 1], []),
    mitf('matmul_integer_to_float-90003', [3, 2], [2, 1], [3], []),
  ];
}

/**
 * Overrunning scales behind another refusal that the contract's checks meet first (a review found ORT still ran these
 * and died): an infinite bias, a negative scale value, K = 0, a NaN in DynamicQuantizeMatMul's a. The backend must not
 * run them either, whichever error the contract gives.
 */
function overrunsBehindOtherRefusals(): [WireRequest, string][] {
  const r = new CaseRandom(`${SEED}-overrun-behind`);
  const { q, f } = draw(r);
  const mitf = (id: string, a: number[], b: number[], as: number[], bs: number[], extra: Record<string, unknown> = {}): WireRequest => ({ id, op: 'matmul_integer_to_float@1', attrs: {}, inputs: { a: q('quint8', a), b: q('qint8', b), a_scale: f(as), b_scale: f(bs), ...extra } });
  const negative = mitf('matmul_integer_to_float-90021', [5], [5], [2, 1, 4], [1, 4]);
  (negative.inputs!.a_scale as { hex: string[] }).hex[3] = f32ToHex(-0.5);
  const nanA = { dtype: 'float32', shape: [3, 2], hex: [0.5, -1, NaN, 2, 0.25, 1].map((v) => f32ToHex(v)) };
  return [
    [mitf('matmul_integer_to_float-90020', [5], [5], [2, 1, 4], [1, 4], { bias: { dtype: 'float32', shape: [1], hex: [f32ToHex(Infinity)] } }), 'bias_not_finite'],
    [negative, 'scale_not_positive'],
    [mitf('matmul_integer_to_float-90022', [3, 0], [0, 1], [1, 4], []), 'shape_mismatch'],
    [mitf('matmul_integer_to_float-90023', [0], [0], [2, 1, 4], [1, 4]), 'shape_mismatch'],
    [{ id: 'dynamic_quantize_matmul-90024', op: 'dynamic_quantize_matmul@1', attrs: {}, inputs: { a: nanA, b: q('qint8', [2, 1]), b_scale: f([1, 4]) } }, 'nan_input'],
  ];
}

function verdict(request: WireRequest, want: WireResponse): void {
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const got = evaluateRequest(ops, request) as WireResponse;
    if ('error' in want) expect('error' in got && got.error.code, `${request.id} on ${name}: ORT refuses (${want.error.message.slice(0, 200)}) (${replay(request)})`).toBe(want.error.code);
    else expect(got, `${request.id} on ${name} (${replay(request)})`).toEqual(want);
  }
}

describe('scale and zero-point shapes of the integer matmuls, as onnxruntime-node 1.30 computes them', () => {
  it('QLinearMatMul: b_scale and b_zero_point of different shapes, one-element a / y parameters of [] or [1]: reference and impl give ORT bit for bit', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const requests = qlinearCases().map((q) => ortCpuAttrs(q, cpuFlagsOn(HOST_CPU), { unmodelled: 'throw' }));
    const answers = await runThroughOrt(ort!, requests);
    requests.forEach((q, i) => verdict(q, answers[i]!));
    // not vacuous: ORT computed every mixed pair and refused the three it refuses
    expect(answers.filter((a) => 'outputs' in a).length).toBe(requests.length - 3);
    expect(answers.slice(-3).every((a) => 'error' in a)).toBe(true);
  });

  it('MatMulIntegerToFloat and DynamicQuantizeMatMul: a scale with extra leading 1 dimensions gives ORT outputs and output shape', { timeout: 120_000 }, async () => {
    const ort = await loadOrt();
    const requests = scaleOutputCases().map((q) => ortCpuAttrs(q, cpuFlagsOn(HOST_CPU), { unmodelled: 'throw' }));
    const answers = await runThroughOrt(ort!, requests);
    requests.forEach((q, i) => verdict(q, answers[i]!));
    expect(answers.filter((a) => 'outputs' in a).length).toBe(requests.length - 1);
    expect((answers[0] as unknown as { outputs: { y: { shape: number[] } } }).outputs.y.shape).toEqual([1, 1]);
  });

  it('a scale that ScaleOutput broadcasts past the output: reference and impl refuse it (shape_mismatch), extra leading dimensions > 1 included', () => {
    for (const q of overrunCases()) {
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, q) as WireResponse;
        expect('error' in got && got.error.code, `${q.id} on ${name} (${replay(q)})`).toBe('shape_mismatch');
      }
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'qconform-ort-overrun-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('`qconform run --backend onnxruntime` (ORT in its own process) gives each such case a verdict and writes its report', { timeout: 180_000 }, async () => {
    const ort = await loadOrt();
    const plain = scaleOutputCases()[1]!; // a per-column b_scale [4] in place of a_scale [1, 1, 4]: the old contract took it too
    const inputs = plain.inputs!;
    const safe = { ...plain, id: 'matmul_integer_to_float-90010', inputs: { ...inputs, a_scale: inputs.b_scale, b_scale: { dtype: 'float32', shape: [4], hex: (inputs.a_scale as { hex: string[] }).hex } } };
    const [safeAnswer] = await runThroughOrt(ort!, [safe]);
    const behind = overrunsBehindOtherRefusals();
    for (const [q, code] of behind) {
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, q) as WireResponse;
        expect('error' in got && got.error.code, `${q.id} on ${name}: the contract's first refusal (${replay(q)})`).toBe(code);
      }
    }
    const lines = [
      ...overrunCases().map((q) => ({ ...q, expect: { error: { code: 'shape_mismatch' } } })),
      ...behind.map(([q, code]) => ({ ...q, expect: { error: { code } } })),
      { ...safe, expect: { outputs: (safeAnswer as { outputs: unknown }).outputs } },
    ];
    // the overrunning ones not run on ORT (verdict not-run, a JUnit <skipped>), the safe one ORT's pass; exit 0
    const overruns = lines.slice(0, -1).map((l) => l.id);
    expectNotRunReported(await runVectorLines(dir, 'onnxruntime', lines), overruns, [safe.id], /^not run on ORT \(its process dies of this request's shape: a scale ScaleOutput broadcasts past the output/);
    // in process, the ORT backend answers the contract's error without running ORT
    const [answer] = await runThroughOrt(ort!, [overrunCases()[0]!]);
    expect('error' in answer! && answer.error.code).toBe('shape_mismatch');
    expect('error' in answer! && answer.error.message).toMatch(/^not run on ORT \(its process dies of this request's shape: a scale ScaleOutput broadcasts past the output.*\): .*past its output buffer/);
    expect(answer!.not_run, 'the answer is marked as not computed by ORT').toMatch(/^not run on ORT \(its process dies of this request's shape: a scale ScaleOutput/);
  });
});
