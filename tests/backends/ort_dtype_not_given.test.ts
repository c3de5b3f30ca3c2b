/**
 * The onnxruntime backend never runs ORT on a request whose wire dtypes ORT cannot be given as they are, live on
 * onnxruntime-node 1.30 (conformance/backends/onnxruntime/ort_dtype_alias.ts, ort_not_given.ts):
 *   - a dtype ORT is given as another's: ONNX has no quint8 / qint8, so uint8 where an integer op takes quint8 reaches
 *     ORT as the same ONNX uint8 (int8 for qint8 likewise; QLinearWhere's condition is ONNX bool whatever its dtype), and
 *     ORT computes the quint8 request (measured with the guard switched off: 85 such requests of the ops' first cases,
 *     every answer bit-identical to the quint8 / qint8 original's). The adapter used to run ORT and then replace its
 *     outputs with the contract's invalid_dtype, answered as if ORT had refused; now it decides from the dtypes before
 *     the session is created: the contract's first refusal, marked `not_run` "not run on ORT (a dtype ORT is given as
 *     another's: x uint8 reaches ORT as ONNX uint8, as quint8 does)", and no session is created;
 *   - a dtype the adapter's model does not carry (the QDQ ops' quint8, which is no ONNX element type; quantized_conv2d's
 *     uint8 x, quint8 weight, float32 bias; an integer op's qint32): the contract's first refusal, marked `not_run`
 *     "not run on ORT (a dtype the model cannot give ORT: ...)" (it was the adapter's refusal, answered as ORT's);
 *   - where the contract answers the request and its twin (each such dtype replaced by the one ORT reads it as) alike, ORT
 *     runs and its own answer stands: x int8 beside a quint8 zero point (ORT: "bound to different types"), int8 data or
 *     indices of GatherBlockQuantized (ORT: "Type Error");
 *   - `qconform run --backend onnxruntime` reports such cases not-run (was a pass), and the vector writers leave them out
 *     (build_vector_set.ts withoutNotRun).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ORT_OPS, type OrtModule } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { withoutNotRun } from '../../conformance/vectors/build_vector_set.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { runVectorLines } from '../support/cli_process.js';
import { evalReplay } from '../support/eval_replay.js';
import { expectNotRunReported } from '../support/not_run_report.js';
import { ORT_FIRST_CASES, intInputs, withInput } from '../support/ort_first_cases.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string }; not_run?: string };

const runDir = mkdtempSync(join(tmpdir(), 'qconform-ort-dtypes-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

/** The real onnxruntime-node module, counting the sessions the adapters create (every run of ORT creates one). */
async function countingOrt(): Promise<{ ort: OrtModule; sessions: () => number }> {
  const real = (await loadOrt())!;
  let n = 0;
  const InferenceSession = { create: (...args: unknown[]) => (n++, (real.InferenceSession.create as (...a: unknown[]) => unknown)(...args)) };
  return { ort: { ...real, InferenceSession } as unknown as OrtModule, sessions: () => n };
}

/** Each request's ORT answer, with the sessions created for it, and the reference's and impl's answers. */
async function answers(requests: readonly WireRequest[]): Promise<Array<{ r: WireRequest; ort: Answer; sessions: number; ref: Answer; imp: Answer }>> {
  const { ort, sessions } = await countingOrt();
  const out = [];
  for (const r of requests) {
    const before = sessions();
    const answer = (await ORT_OPS[r.op]!(ort, r)) as Answer;
    out.push({ r, ort: answer, sessions: sessions() - before, ref: evaluateRequest(reference, r) as Answer, imp: evaluateRequest(impl, r) as Answer });
  }
  return out;
}

const ALIASED = /^not run on ORT \(a dtype ORT is given as another's: .+\)$/;
const NOT_CARRIED = /^not run on ORT \(a dtype the model cannot give ORT: .+\)$/;

/** ORT was not run: the answer is the contract's (reference's) refusal, code and message, marked not run for `reason`. */
function expectNotRun({ r, ort, sessions, ref, imp }: Awaited<ReturnType<typeof answers>>[number], reason: RegExp): void {
  const replay = `${evalReplay(r, 'onnxruntime')}: ${JSON.stringify(ort).slice(0, 300)}`;
  expect(ref.error?.code, evalReplay(r, 'reference')).toBeDefined();
  expect(imp.error?.code, evalReplay(r, 'impl')).toBe(ref.error!.code);
  expect(sessions, `${replay}: ORT was run`).toBe(0);
  expect(ort.not_run, replay).toMatch(reason);
  expect(ort.error?.code, replay).toBe(ref.error!.code);
  expect(ort.error?.message, replay).toBe(`${ort.not_run}: ${ref.error!.message}`);
}

/** The other dtype of the same ONNX type: quint8 <-> uint8, qint8 <-> int8. */
const ALIAS: Record<string, string> = { quint8: 'uint8', uint8: 'quint8', qint8: 'int8', int8: 'qint8' };
const isQdq = (op: string) => /quantize_linear@1$/.test(op);

/** Every integer input of every op's first computed case, its dtype replaced by the other of its ONNX type. */
const FLIPPED = ORT_FIRST_CASES.flatMap((c) =>
  intInputs(c.inputs as Record<string, unknown>)
    .filter(([, t]) => t.dtype in ALIAS)
    .map(([path, t]) => withInput(c, path, (w) => (w.dtype = ALIAS[t.dtype]!), `${c.id}:${path}:${ALIAS[t.dtype]}`)),
);

const sigmoid = (x: string, zeroPoint: string): WireRequest => ({
  id: `sigmoid-x-${x}-zp-${zeroPoint}`,
  op: 'qlinear_sigmoid@1',
  attrs: {},
  inputs: { x: { dtype: x, shape: [2], values: [2, 3] }, x_scale: { dtype: 'float32', shape: [], hex: ['3dcccccd'] }, y_scale: { dtype: 'float32', shape: [], hex: ['3b800000'] }, x_zero_point: { dtype: zeroPoint, shape: [], values: [0] }, y_zero_point: { dtype: zeroPoint, shape: [], values: [0] } },
});

const first = (op: string) => ORT_FIRST_CASES.find((c) => c.op === op)!;

describe('onnxruntime backend: a wire dtype ORT cannot be given as it is is not run on ORT', () => {
  it('uint8 / int8 where the op takes quint8 / qint8 (and back, for the ops that take uint8 / int8), every input of every op: the contract\'s refusal, not run, no session', { timeout: 300_000 }, async () => {
    expect(FLIPPED.length).toBeGreaterThan(80);
    const seen = new Set<string>();
    for (const a of await answers(FLIPPED)) {
      expect(a.ref.error?.code, evalReplay(a.r, 'reference')).toBe('invalid_dtype');
      // the integer ops' aliases are ORT's to tell apart; QDQ's quint8 and quantized_conv2d's dtypes are not carried at all
      const aliased = !isQdq(a.r.op) && a.r.op !== 'quantized_conv2d@1';
      expectNotRun(a, aliased ? ALIASED : NOT_CARRIED);
      seen.add(a.r.op);
    }
    // every op whose first case has an 8-bit integer input (not: dequantize_linear's int32 x, GatherBlockQuantized's 4-bit data, ...)
    expect(seen.size, [...seen].join(', ')).toBeGreaterThanOrEqual(24);
    for (const op of ['quantized_conv2d@1', 'qlinear_where@1', 'matmul_nbits@1', 'ms_quantize_linear@1', 'qlinear_concat@1', 'dynamic_quantize_lstm@1']) expect(seen.has(op), op).toBe(true);
    // the reason names the input, its dtype, what ORT is given and which dtype the op takes
    const [sig] = await answers([sigmoid('uint8', 'quint8')]);
    expect(sig!.ort.not_run).toBe("not run on ORT (a dtype ORT is given as another's: x uint8 reaches ORT as ONNX uint8, as quint8 does)");
    const where = first('qlinear_where@1');
    const [cond] = await answers([withInput(where, 'condition', (w) => (w.dtype = 'int32'), `${where.id}:condition:int32`)]);
    expectNotRun(cond!, ALIASED);
    expect(cond!.ort.not_run).toBe("not run on ORT (a dtype ORT is given as another's: condition int32 reaches ORT as ONNX bool, as uint8 does)");
  });

  it('a dtype the model does not carry: QDQ dtype attribute quint8, quantized_conv2d float32 bias, an integer op\'s qint32: not run, no session', { timeout: 120_000 }, async () => {
    const quantize = first('quantize_linear@1');
    const conv = first('quantized_conv2d@1');
    const oc = (conv.inputs as { weight: { shape: number[] } }).weight.shape[0]!;
    const requests = [
      { ...quantize, id: `${quantize.id}:dtype:quint8`, attrs: { ...quantize.attrs, dtype: 'quint8' }, inputs: { ...(quantize.inputs as object), y_zero_point: undefined } },
      { ...conv, id: `${conv.id}:bias:float32`, inputs: { ...(conv.inputs as object), bias: { dtype: 'float32', shape: [oc], hex: Array(oc).fill('40300000') } } },
      withInput(sigmoid('qint8', 'qint8'), 'x', (w) => (w.dtype = 'qint32'), 'sigmoid-x-qint32'),
    ].map((r) => JSON.parse(JSON.stringify(r)) as WireRequest);
    const got = await answers(requests);
    for (const a of got) expectNotRun(a, NOT_CARRIED);
    expect(got[2]!.ort.not_run).toBe('not run on ORT (a dtype the model cannot give ORT: X qint32, which the one-node model has no ONNX element type for)');
  });

  it('where the contract answers the request and its twin alike, ORT runs and answers itself', { timeout: 120_000 }, async () => {
    const gbq = first('gather_block_quantized@1');
    const cases: [WireRequest, string][] = [
      [sigmoid('int8', 'quint8'), 'bound to different types (tensor(int8) and tensor(uint8)'],
      [sigmoid('uint8', 'qint8'), 'bound to different types (tensor(uint8) and tensor(int8)'],
      [withInput(gbq, 'data', (w) => (w.dtype = 'int8'), `${gbq.id}:data:int8`), "Type 'tensor(int8)' of input parameter (data)"],
      [withInput(gbq, 'indices', (w) => (w.dtype = 'int8'), `${gbq.id}:indices:int8`), "Type 'tensor(int8)' of input parameter (indices)"],
    ];
    const got = await answers(cases.map(([r]) => r));
    for (const [k, { r, ort, sessions, ref, imp }] of got.entries()) {
      const replay = `${evalReplay(r, 'onnxruntime')}: ${JSON.stringify(ort).slice(0, 300)}`;
      expect(sessions, `${replay}: ORT was not run`).toBe(1);
      expect(ort.not_run, replay).toBeUndefined();
      expect(ort.error?.message, replay).toContain(cases[k]![1]);
      for (const [name, a] of [['reference', ref], ['impl', imp], ['onnxruntime', ort]] as const) expect(a.error?.code, evalReplay(r, name)).toBe('invalid_dtype');
    }
  });

  it('qconform run --backend onnxruntime reports them not-run, and the vector writers leave them out', { timeout: 240_000 }, async () => {
    const where = first('qlinear_where@1');
    const conv = first('quantized_conv2d@1');
    const dequantize = { id: 'dequantize-x-quint8', op: 'dequantize_linear@1', attrs: {}, inputs: { x: { dtype: 'quint8', shape: [2], values: [1, 2] }, x_scale: { dtype: 'float32', shape: [], hex: ['3f800000'] } } };
    const notRun = [sigmoid('uint8', 'quint8'), withInput(where, 'x', (w) => (w.dtype = ALIAS[w.dtype]!), 'where-x'), withInput(conv, 'x', (w) => (w.dtype = ALIAS[w.dtype]!), 'conv-x'), dequantize];
    const asVectors = notRun.map((r, i) => ({ ...r, id: `${r.op.replace(/@\d+$/, '')}-9100${i}`, expect: { error: { code: 'invalid_dtype' } } }));
    const { ort } = await countingOrt();
    const ran = { ...where, expect: { outputs: ((await ORT_OPS[where.op]!(ort, where)) as Answer).outputs } };
    expectNotRunReported(await runVectorLines(runDir, 'onnxruntime', [...asVectors, ran]), asVectors.map((v) => v.id), [ran.id], /^not run on ORT \(a dtype (ORT is given as another's|the model cannot give ORT): /);
    const requests = [...asVectors, where].map(({ id, op, attrs, inputs }) => ({ id, op, attrs, inputs }) as WireRequest);
    const responses: WireResponse[] = [];
    for (const r of requests) responses.push(await ORT_OPS[r.op]!(ort, r));
    const kept = withoutNotRun([{ op: 'mixed', requests }], responses);
    expect(kept.leftOut.map((l) => l.id)).toEqual(asVectors.map((v) => v.id));
    expect(kept.groups[0]!.requests.map((r) => r.id)).toEqual([where.id]);
  });
});
