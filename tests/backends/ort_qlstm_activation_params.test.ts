/**
 * com.microsoft DynamicQuantizeLSTM's activation_alpha / activation_beta, live on onnxruntime-node 1.30 (in process,
 * this host's CPU): ORT does not check their values (rnn_helpers.cc NormalizeActivationArgumentAndGetAlphaBetaCount
 * copies each float32 as it is), so +-inf, NaN and a float64 that rounds to +-inf in float32 are computed with by the
 * four modelled activations that take them: Affine f32(f32(alpha x) + beta), LeakyRelu x >= 0 ? x : f32(alpha x),
 * ThresholdedRelu x > alpha ? x : 0, HardSigmoid min(1, max(0, f32(f32(alpha x) + beta))) (rnn_activation_functors.h).
 * qconform refused every such parameter (unsupported_by_scheme "a non-finite (as float32) activation parameter is
 * not modelled"); now each request of the grid either gets ORT's bytes from reference and impl (y, y_h, y_c, NaN bits
 * included), or, where the parameter makes an h_t NaN or infinite that the next step quantizes, the refusal qconform
 * gives any such h (nan_input / unsupported_by_scheme "h at step t": MLAS's min/max of a NaN depends on its lane, an
 * infinite h is not measured), ORT then giving NaN, infinities, +-FLT_MAX or finite values from that step on.
 * Grid: the four activations x each of f, g, h x alpha (and beta for Affine and HardSigmoid) in {+-inf, NaN, -NaN,
 * +-1e39} x five committed vector cases (forward and reverse, one step and several, sequence_lens, bidirectional, both
 * weight dtypes).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { hex64 } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

type Answer = { outputs?: Record<string, unknown>; error?: { code: string; message: string } };
const replay = evalReplay;

const VECTORS = new URL('../../vectors/onnxruntime-1.30-ops/dynamic_quantize_lstm.v1.jsonl', import.meta.url);
/** forward 2 steps qint8; reverse 4 steps with sequence_lens quint8; reverse 1 step quint8; forward 1 step quint8; bidirectional 3 steps with sequence_lens qint8 */
const BASE_IDS = ['dynamic_quantize_lstm-00004', 'dynamic_quantize_lstm-00008', 'dynamic_quantize_lstm-00001', 'dynamic_quantize_lstm-00003', 'dynamic_quantize_lstm-00007'];
const NON_FINITE = ['7ff0000000000000', 'fff0000000000000', '7ff8000000000000', 'fff8000000000000', hex64(1e39), hex64(-1e39)];
const HALF = hex64(0.5);
/** name -> [takes alpha, takes beta] (NameToArgUsageMap) */
const TAKES: Record<string, readonly [boolean, boolean]> = { Affine: [true, true], LeakyRelu: [true, false], ThresholdedRelu: [true, false], HardSigmoid: [true, true] };

function grid(): WireRequest[] {
  const lines = readFileSync(VECTORS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as WireRequest & { expect?: unknown });
  const out: WireRequest[] = [];
  for (const id of BASE_IDS) {
    const base = lines.find((l) => l.id === id)!;
    const directions = base.attrs?.direction === 'bidirectional' ? 2 : 1;
    for (const [name, [takesAlpha, takesBeta]] of Object.entries(TAKES)) for (const position of [0, 1, 2]) for (const value of NON_FINITE) {
      for (const which of ['alpha', 'beta'] as const) {
        if (which === 'alpha' ? !takesAlpha : !takesBeta) continue;
        const activations = Array.from({ length: directions }, () => { const a = ['Sigmoid', 'Tanh', 'Tanh']; a[position] = name; return a; }).flat();
        const attrs = { ...base.attrs, activations, activation_alpha: [which === 'alpha' ? value : HALF], ...(takesBeta ? { activation_beta: [which === 'beta' ? value : HALF] } : {}) };
        out.push({ id: `${id}-${name}-${'fgh'[position]}-${which}-${value}`, op: base.op, attrs, inputs: base.inputs } as WireRequest);
      }
    }
  }
  return out;
}

const H_REFUSAL = /^dynamic_quantize_lstm: h at step \d+, element \d+: /;

describe('DynamicQuantizeLSTM with non-finite activation_alpha / activation_beta, as ONNX Runtime 1.30 computes it', () => {
  it("the grid: reference and impl give ORT's bytes, or refuse the non-finite h the next step would quantize", { timeout: 600_000 }, async () => {
    const ort = await installedOrt();
    const requests = grid();
    const answers = (await runThroughOrt(ort, requests)) as Answer[];
    const tally = { computed: 0, refusedH: 0, nanOutputs: 0 };
    for (const [i, r] of requests.entries()) {
      const ortAnswer = answers[i]!;
      expect(ortAnswer.outputs, `${r.id}: ORT answers ${JSON.stringify(ortAnswer).slice(0, 300)}`).toBeDefined();
      const answered = [reference, impl].map((ops) => evaluateRequest(ops, r) as Answer);
      for (const [k, got] of answered.entries()) {
        const name = k === 0 ? 'reference' : 'impl';
        if (got.error) {
          expect(got.error.message, `${replay(r, name)}: refused ${got.error.code} other than for an h the next step quantizes`).toMatch(H_REFUSAL);
          expect(['nan_input', 'unsupported_by_scheme'], replay(r, name)).toContain(got.error.code);
        } else {
          expect(got.outputs, replay(r, name)).toEqual(ortAnswer.outputs);
        }
      }
      expect(answered[1]!.error?.code, `${r.id}: reference and impl refuse alike`).toBe(answered[0]!.error?.code);
      if (answered[0]!.error) tally.refusedH++;
      else {
        tally.computed++;
        if (/"(7f|ff)[c-f]/.test(JSON.stringify(ortAnswer.outputs))) tally.nanOutputs++;
      }
    }
    // not vacuous: every request was refused before; most are now computed, NaNs among their outputs
    expect(tally.computed + tally.refusedH).toBe(requests.length);
    expect(tally.computed, JSON.stringify(tally)).toBeGreaterThan(requests.length / 2);
    expect(tally.nanOutputs, JSON.stringify(tally)).toBeGreaterThan(20);
  });
});
