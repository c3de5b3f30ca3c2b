/**
 * The ORT adapters (onnx_qops_ort.ts, qdq.ts, qlinear_conv.ts) never hand ORT a wrapped integer, live on onnxruntime-node 1.30:
 * onnxruntime-node takes integers through typed arrays, so quint8 x = [256, 3] reached QLinearSigmoid as [0, 3] and ORT
 * answered for x = 0 (y = [128, 147]). Such a request is not run on ORT: every integer input of every op's first recorded
 * case (vectors/onnxruntime-1.30, -ops and -qdq), one element set just outside its element type, is answered with the
 * contract's first refusal (code and message, as reference and impl refuse it) marked `not_run` "not run on ORT (an
 * integer outside its ONNX element type: ...)", never as ORT's answer; so is QLinearWhere's condition 2 (ONNX bool
 * holds 0 and 1). A request wrong in a second way the contract checks first gets the contract's first code, not the
 * range's (quantized_conv2d with x of rank 3 and x = 256: shape_mismatch). quantized_conv2d (qlinear_conv.ts) included:
 * its x, weight and zero points were wrapped the same way. (A wire dtype ORT is given as another's, uint8 where the op
 * takes quint8: ort_dtype_not_given.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { ONNX_DTYPE_RANGE } from '../../contract/onnx_dtypes.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';
import { ORT_FIRST_CASES, type WireInt, intInputs, withInput } from '../support/ort_first_cases.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string }; not_run?: string };
const RANGES: Record<string, { min: number; max: number }> = { ...ONNX_DTYPE_RANGE, ...DTYPE_RANGE };
const CASES = ORT_FIRST_CASES;

async function answers(requests: readonly WireRequest[]): Promise<[WireRequest, Answer, Answer, Answer][]> {
  const ort = (await loadOrt())!;
  const out: [WireRequest, Answer, Answer, Answer][] = [];
  for (const r of requests) out.push([r, (await ORT_OPS[r.op]!(ort, r)) as Answer, evaluateRequest(reference, r) as Answer, evaluateRequest(impl, r) as Answer]);
  return out;
}

const NOT_RUN = /^not run on ORT \(an integer outside its ONNX element type: .+\)$/;

/** ORT's answer is the contract's (reference's) refusal, code and message, marked not run on ORT for the wrapped value. */
function expectContractRefusalNotRun(r: WireRequest, ort: Answer, ref: Answer): void {
  const replay = evalReplay(r, 'onnxruntime');
  expect(ref.error?.code, evalReplay(r, 'reference')).toBeDefined();
  expect(ort.outputs, `${replay}: ORT was given a wrapped value`).toBeUndefined();
  expect(ort.not_run, `${replay}: ${JSON.stringify(ort).slice(0, 300)}`).toMatch(NOT_RUN);
  expect(ort.error?.code, `${replay}: ${ort.error?.message}; the contract: ${ref.error!.message}`).toBe(ref.error!.code);
  expect(ort.error?.message, replay).toBe(`${ort.not_run}: ${ref.error!.message}`);
}

/** `r` with one float32 input named *scale* given 7 elements: a parameter shape the contract refuses (before the values, for most ops). */
function withSevenElementScale(r: WireRequest): WireRequest | null {
  const inputs = r.inputs as Record<string, { dtype?: string; hex?: string[] }>;
  const name = Object.keys(inputs).find((k) => k.includes('scale') && inputs[k]?.dtype === 'float32' && Array.isArray(inputs[k]?.hex) && inputs[k]!.hex!.length > 0);
  if (!name) return null;
  const scale = inputs[name]!;
  return { ...r, id: `${r.id}:${name}[7]`, inputs: { ...inputs, [name]: { ...scale, shape: [7], hex: Array.from({ length: 7 }, () => scale.hex![0]!) } } } as WireRequest;
}

describe('ORT adapters: a request with an integer outside its element type is not run on ORT, answered with the contract refusal', () => {
  it('covers every op of the ORT backend (ORT_OPS)', () => {
    expect(CASES.map((c) => c.op).sort()).toEqual(Object.keys(ORT_OPS).sort());
  });

  it("QLinearSigmoid quint8 x = [256, 3] (the prober's case: ORT answered [128, 147], x[0] read as 0)", { timeout: 60_000 }, async () => {
    const r = {
      id: 'sig-256',
      op: 'qlinear_sigmoid@1',
      attrs: {},
      inputs: { x: { dtype: 'quint8', shape: [2], values: [256, 3] }, x_scale: { dtype: 'float32', shape: [], hex: ['3dcccccd'] }, y_scale: { dtype: 'float32', shape: [], hex: ['3b800000'] }, x_zero_point: { dtype: 'quint8', shape: [], values: [0] }, y_zero_point: { dtype: 'quint8', shape: [], values: [0] } },
    } as WireRequest;
    const [, ort, ref] = (await answers([r]))[0]!;
    expect(ref.error?.code).toBe('invalid_integer');
    expectContractRefusalNotRun(r, ort, ref);
    expect(ort.not_run).toBe('not run on ORT (an integer outside its ONNX element type: qlinear_sigmoid: X[0] = 256, uint8 holds [0, 255])');
  });

  it('quantized_conv2d with x of rank 3 and x = 256: the contract\'s shape_mismatch (its first refusal), not run on ORT', { timeout: 60_000 }, async () => {
    const conv = CASES.find((c) => c.op === 'quantized_conv2d@1')!;
    const x = (conv.inputs as { x: WireInt }).x;
    const r = withInput(conv, 'x', (t) => {
      t.dtype = 'quint8';
      t.shape = t.shape.slice(1);
      t.values = t.values.slice(0, t.shape.reduce((a, b) => a * b, 1)).map((v) => Math.abs(v));
      t.values[0] = 256;
    }, `${conv.id}:x-rank3=256`);
    expect(x.shape.length).toBe(4);
    const r8 = { ...r, attrs: { ...r.attrs, x_zero_point: 0, y_zero_point: 0 } };
    const [, ort, ref, imp] = (await answers([r8]))[0]!;
    expect(ref.error?.code, evalReplay(r8, 'reference')).toBe('shape_mismatch');
    expect(imp.error?.code, evalReplay(r8, 'impl')).toBe('shape_mismatch');
    expectContractRefusalNotRun(r8, ort, ref);
  });

  it('one element just outside each integer input, for every op; and with a scale of 7 elements too', { timeout: 300_000 }, async () => {
    const requests = CASES.flatMap((c) =>
      intInputs(c.inputs as Record<string, unknown>).flatMap(([path, t]) => {
        const range = RANGES[t.dtype];
        // int32 / int64 inputs: the wire itself refuses a value outside int32 (malformed_request, no backend sees it)
        if (!range || t.dtype === 'int32') return [];
        const bool = c.op === 'qlinear_where@1' && path === 'condition';
        const outside = bool ? [2, -1] : [range.max + 1, range.min - 1];
        return outside.map((v) => withInput(c, path, (w) => (w.values[0] = v), `${c.id}:${path}=${v}`));
      }),
    );
    // quantized_conv2d's activation zero points are attributes (x's element type)
    const conv = CASES.find((c) => c.op === 'quantized_conv2d@1')!;
    const x = RANGES[(conv.inputs as { x: WireInt }).x.dtype]!;
    for (const name of ['x_zero_point', 'y_zero_point']) for (const v of [x.max + 1, x.min - 1]) requests.push({ ...conv, id: `${conv.id}:${name}=${v}`, attrs: { ...conv.attrs, [name]: v } });
    expect(requests.length).toBeGreaterThan(100);
    const single = new Map<string, string>();
    for (const [r, ort, ref, imp] of await answers(requests)) {
      expect(imp.error?.code, evalReplay(r, 'impl')).toBe(ref.error?.code);
      expectContractRefusalNotRun(r, ort, ref);
      single.set(r.id, ref.error!.code);
    }
    // wrong twice: the contract's first refusal, whichever it is (not the range's code where a shape check comes first)
    const doubly = requests.flatMap((r) => withSevenElementScale(r) ?? []);
    expect(doubly.length).toBeGreaterThan(80);
    let otherCode = 0;
    for (const [r, ort, ref, imp] of await answers(doubly)) {
      expect(imp.error?.code, evalReplay(r, 'impl')).toBe(ref.error?.code);
      expectContractRefusalNotRun(r, ort, ref);
      if (ref.error!.code !== single.get(r.id.slice(0, r.id.lastIndexOf(':')))) otherCode++;
    }
    expect(otherCode, 'doubly wrong requests whose first refusal is not the range check').toBeGreaterThan(50);
  });
});
