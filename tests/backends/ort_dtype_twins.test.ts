/**
 * Which wire dtypes the onnxruntime backend's integer-op adapter takes as another's (ort_dtype_alias.ts), and what it
 * does with a dtype its model cannot carry beside an attribute the op's schema refuses (onnx_qops_ort.ts), live on
 * onnxruntime-node 1.30:
 *   - only an input that takes quint8 / qint8 (the per-op list of ort_quantized_inputs.ts, checked here against every input the ops'
 *     recorded ORT cases carry) or a plain uint8 has a twin: an int8 / uint8 at an int32 / int64 input
 *     (GatherBlockQuantized's indices, QEmbedLayerNormalization's input_ids, ...) is no alias, so the contract is not
 *     asked and ORT runs and refuses it itself (the adapter used to take it as qint8 / quint8's twin and ask the
 *     contract twice);
 *   - the twins come from the dtype strings the request states: a request without an alias decodes none of its inputs
 *     here, one with an alias decodes that input only (it used to decode every input of every request and throw them
 *     away);
 *   - a request with an attribute the op's schema refuses and a dtype the model cannot carry (x qint32, uint16) is run
 *     on ORT with a stand-in element type, and ORT's own refusal of the attribute is the answer (malformed_request,
 *     "Unrecognized attribute"), as the QDQ adapter answers its own such requests (it was not run: not_run with the
 *     contract's refusal).
 * Replay one case: npx vitest run tests/backends/ort_dtype_twins.test.ts -t '<case name>' (each failure names the
 * request by its qconform eval replay line).
 */
import { describe, expect, it, vi } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ORT_OPS, type OrtModule } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { answerDtypeAlias } from '../../conformance/backends/onnxruntime/ort_dtype_alias.js';
import { takesQuantized } from '../../conformance/backends/onnxruntime/ort_quantized_inputs.js';
import { contractFirstRefusal } from '../../conformance/backends/contract_answer_not_run.js';
import { isOnnxQOpName } from '../../conformance/protocol/onnx_qops_dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { decodeTensor } from '../../contract/wire.js';
import type { OnnxQOpName } from '../../contract/onnx_qops.js';
import { evalReplay } from '../support/eval_replay.js';
import { ORT_FIRST_CASES, intInputs, withInput } from '../support/ort_first_cases.js';

// the real functions, counted
vi.mock('../../contract/wire.js', async (original) => {
  const real = await original<typeof import('../../contract/wire.js')>();
  return { ...real, decodeTensor: vi.fn(real.decodeTensor) };
});
vi.mock('../../conformance/backends/contract_answer_not_run.js', async (original) => {
  const real = await original<typeof import('../../conformance/backends/contract_answer_not_run.js')>();
  return { ...real, contractFirstRefusal: vi.fn(real.contractFirstRefusal) };
});

type Answer = { outputs?: unknown; error?: { code: string; message: string }; not_run?: string };

const INTEGER_OP_CASES = ORT_FIRST_CASES.filter((c) => isOnnxQOpName(c.op));
const first = (op: string) => ORT_FIRST_CASES.find((c) => c.op === op)!;

/** The real onnxruntime-node module, counting the sessions the adapters create. */
async function countingOrt(): Promise<{ ort: OrtModule; sessions: () => number }> {
  const real = (await loadOrt())!;
  expect(real, 'onnxruntime-node is installed (npm install)').not.toBeNull();
  let n = 0;
  const InferenceSession = { create: (...args: unknown[]) => (n++, (real.InferenceSession.create as (...a: unknown[]) => unknown)(...args)) };
  return { ort: { ...real, InferenceSession } as unknown as OrtModule, sessions: () => n };
}

/** The paths of the wire tensors ort_dtype_alias.ts decoded itself while `f` ran ('inputs.<name>'; the contract's own carry the op's name). */
function decodedByAlias(f: () => unknown): string[] {
  const spy = vi.mocked(decodeTensor);
  spy.mockClear();
  f();
  return spy.mock.calls.map(([, path]) => path).filter((p) => p.startsWith('inputs.'));
}

describe('only an input that takes quint8 / qint8 (or a plain uint8) has a twin', () => {
  it('ort_quantized_inputs.ts lists every input the recorded ORT cases carry as quint8 / qint8, and no other integer input', () => {
    expect(new Set(INTEGER_OP_CASES.map((c) => c.op)).size).toBeGreaterThanOrEqual(22);
    for (const c of INTEGER_OP_CASES) {
      for (const [name, t] of intInputs(c.inputs as Record<string, unknown>)) {
        expect(takesQuantized(c.op as OnnxQOpName, name), `${c.id}: ${name} ${t.dtype}`).toBe(t.dtype === 'quint8' || t.dtype === 'qint8');
      }
    }
    // QLinearConcat's tuples by index
    for (const name of ['x0', 'x1', 'x12_zero_point']) expect(takesQuantized('qlinear_concat@1', name), name).toBe(true);
    for (const name of ['x01', 'x1_scale', 'xa']) expect(takesQuantized('qlinear_concat@1', name), name).toBe(false);
  });

  it('an int8 / uint8 where neither quint8 nor qint8 is taken is no alias: the contract is not asked, ORT runs and refuses it', { timeout: 120_000 }, async () => {
    // every int32 / int64 input of the recorded cases (GatherBlockQuantized's indices, QEmbedLayerNormalization's
    // input_ids, ...), as int8 and as uint8 (values clamped into the type)
    const requests = INTEGER_OP_CASES.flatMap((c) =>
      intInputs(c.inputs as Record<string, unknown>)
        .filter(([, t]) => t.dtype === 'int32' || t.dtype === 'int64')
        .flatMap(([name]) =>
          (['int8', 'uint8'] as const).map((dtype) =>
            withInput(c, name, (w) => ((w.dtype = dtype), (w.values = w.values.map((v) => Math.max(dtype === 'int8' ? -128 : 0, Math.min(127, v))))), `${c.id}:${name}:${dtype}`),
          ),
        ),
    );
    const names = new Set(requests.map((r) => r.id.split(':').slice(-2, -1)[0]));
    for (const name of ['indices', 'input_ids']) expect(names.has(name), `the recorded cases carry ${name}`).toBe(true);
    const { ort, sessions } = await countingOrt();
    for (const r of requests) {
      const contract = vi.mocked(contractFirstRefusal);
      contract.mockClear();
      const decoded = decodedByAlias(() => expect(answerDtypeAlias(r.op as OnnxQOpName, r), evalReplay(r, 'onnxruntime')).toBeNull());
      expect(decoded, `${evalReplay(r, 'onnxruntime')}: decoded as an alias`).toEqual([]);
      expect(contract.mock.calls.length, `${evalReplay(r, 'onnxruntime')}: the contract was asked`).toBe(0);
      const before = sessions();
      const answer = (await ORT_OPS[r.op]!(ort, r)) as Answer;
      const replay = `${evalReplay(r, 'onnxruntime')}: ${JSON.stringify(answer).slice(0, 300)}`;
      expect(sessions() - before, `${replay}: ORT was not run`).toBe(1);
      expect(answer.not_run, replay).toBeUndefined();
      expect(answer.error?.code, replay).toBe('invalid_dtype');
      expect(answer.error?.message, replay).toMatch(/tensor\(u?int8\)/);
    }
  });
});

describe('the twins come from the stated dtypes: only an input whose twin differs is decoded', () => {
  it('a request without an alias (every integer op\'s recorded case): no input decoded, the contract not asked', () => {
    const contract = vi.mocked(contractFirstRefusal);
    for (const c of INTEGER_OP_CASES) {
      contract.mockClear();
      const decoded = decodedByAlias(() => expect(answerDtypeAlias(c.op as OnnxQOpName, c), evalReplay(c, 'onnxruntime')).toBeNull());
      expect(decoded, evalReplay(c, 'onnxruntime')).toEqual([]);
      expect(contract.mock.calls.length, evalReplay(c, 'onnxruntime')).toBe(0);
    }
  });

  it('a request with one alias (QLinearMatMul a uint8): that input alone is decoded, and the request is not run on ORT', () => {
    const c = first('qlinear_matmul@1');
    const r = withInput(c, 'a', (w) => (w.dtype = 'uint8'), `${c.id}:a:uint8`);
    let answer: unknown;
    const decoded = decodedByAlias(() => (answer = answerDtypeAlias('qlinear_matmul@1', r)));
    expect(decoded, evalReplay(r, 'onnxruntime')).toEqual(['inputs.a']);
    expect((answer as Answer).not_run, evalReplay(r, 'onnxruntime')).toBe("not run on ORT (a dtype ORT is given as another's: a uint8 reaches ORT as ONNX uint8, as quint8 does)");
  });
});

/** `r` with attribute foo (which no op's schema declares) and input `name`'s dtype `dtype` (a dtype no ONNX type carries). */
function withFooAnd(r: WireRequest, name: string, dtype: string): WireRequest {
  const edited = withInput(r, name, (w) => (w.dtype = dtype), `${r.id}:foo:${name}:${dtype}`);
  return { ...edited, attrs: { ...edited.attrs, foo: 1 } };
}

describe('an attribute the schema refuses beside a dtype the model cannot carry: ORT\'s own refusal, on both adapters', () => {
  it('integer ops (x qint32, uint16) and the QDQ ops (quint8): run on ORT, which refuses the attribute (malformed_request)', { timeout: 120_000 }, async () => {
    const sigmoid = first('qlinear_sigmoid@1');
    const matmul = first('matmul_integer@1');
    const dequantize = first('dequantize_linear@1');
    const requests = [withFooAnd(sigmoid, 'x', 'qint32'), withFooAnd(sigmoid, 'x', 'uint16'), withFooAnd(matmul, 'b', 'qint32'), withFooAnd(dequantize, 'x', 'quint8')];
    const { ort, sessions } = await countingOrt();
    for (const r of requests) {
      const before = sessions();
      const answer = (await ORT_OPS[r.op]!(ort, r)) as Answer;
      const replay = `${evalReplay(r, 'onnxruntime')}: ${JSON.stringify(answer).slice(0, 300)}`;
      expect(answer.not_run, replay).toBeUndefined();
      expect(sessions() - before, `${replay}: ORT was not run`).toBe(1);
      expect(answer.error?.code, replay).toBe('malformed_request');
      expect(answer.error?.message, replay).toContain('Unrecognized attribute: foo for operator');
    }
  });
});
