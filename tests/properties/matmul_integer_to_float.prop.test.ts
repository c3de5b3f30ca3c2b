/**
 * matmul_integer_to_float@1 and dynamic_quantize_matmul@1: the exact reference and the fast impl give the same
 * bytes (or the same typed error) on the vector generators' cases (seeded by fast-check, pinned), with the
 * `sat16_pairs_im2col` accumulator on half of the u8 x s8 GEMMs. Not vacuous: counters show outputs, saturated
 * vpmaddubsw pairs that change the result, biases, per-column scales, scales applied to the output (ScaleOutput),
 * float(acc) rounding past 2^24, and outputs
 * where each rejected reading of the float step (integer_to_float_alternatives.ts) would give another value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REJECTED_INTEGER_TO_FLOAT_FORMS } from '../../conformance/cases/integer_to_float_alternatives.js';
import { dynamicQuantizeMatMulCase, matmulIntegerToFloatCase } from '../../conformance/cases/onnx_qops_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { hexToF32 } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { integerToFloatTerms } from '../support/integer_to_float_terms.js';
import { checkProperty } from '../support/property.js';

const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
const dtypeOf = (req: WireRequest, name: string) => (req.inputs?.[name] as { dtype?: string } | undefined)?.dtype;

const requests = (factory: typeof matmulIntegerToFloatCase) =>
  fc.tuple(fc.nat(), fc.boolean()).map(([seed, sat]): WireRequest => {
    const req = { id: `prop-${seed}`, ...factory(new CaseRandom(`integer-to-float/${seed}`), 0) };
    const aDtype = req.op === 'dynamic_quantize_matmul@1' ? 'quint8' : dtypeOf(req, 'a');
    return sat && aDtype === 'quint8' && dtypeOf(req, 'b') === 'qint8' ? { ...req, attrs: { ...req.attrs, accumulator: 'sat16_pairs_im2col' } } : req;
  });

const RUNS = 300;

describe('MatMulIntegerToFloat and DynamicQuantizeMatMul: reference and impl agree bit for bit', () => {
  for (const [op, factory] of [['matmul_integer_to_float@1', matmulIntegerToFloatCase], ['dynamic_quantize_matmul@1', dynamicQuantizeMatMulCase]] as const) {
    it(`${op}, not vacuously`, () => {
      const n = { cases: 0, outputs: 0, scaledOutput: 0, saturatedPairs: 0, biased: 0, perColumnScale: 0, roundedAcc: 0, fusedBias: 0, scalesInTurn: 0, doubleProduct: 0 };
      checkProperty(`${op} agrees`, requests(factory), (request) => {
        const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
        if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
        n.cases++;
        if ('error' in ref) return;
        n.outputs++;
        if (request.inputs?.bias) n.biased++;
        if (((request.inputs?.b_scale as { shape: number[] }).shape.reduce((x, y) => x * y, 1) ?? 1) > 1) n.perColumnScale++;
        if (request.attrs?.accumulator === 'sat16_pairs_im2col' && identity(evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } })) !== identity(ref)) n.saturatedPairs++;
        const terms = integerToFloatTerms(request);
        if (!terms) {
          n.scaledOutput++; // a scale ORT multiplies into the finished output: the rejected forms do not apply
          return;
        }
        if (terms.some((t) => Math.fround(t.acc) !== t.acc)) n.roundedAcc++;
        const y = (ref.outputs.y as { hex: string[] }).hex.map((h) => hexToF32(h));
        for (const form of ['fusedBias', 'scalesInTurn', 'doubleProduct'] as const) {
          const f = REJECTED_INTEGER_TO_FLOAT_FORMS[form]!;
          if (terms.some((t, i) => !Object.is(f(t.acc, t.aScale, t.bScale, t.bias), y[i]))) n[form]++;
        }
      }, RUNS);
      expect(n.cases).toBe(RUNS);
      expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
      expect(n.saturatedPairs).toBeGreaterThan(5);
      expect(n.biased).toBeGreaterThan(RUNS * 0.4);
      expect(n.perColumnScale).toBeGreaterThan(50);
      expect(n.roundedAcc, 'float(acc) rounds').toBeGreaterThan(3);
      expect(n.scaledOutput, 'ScaleOutput cases').toBeGreaterThan(10);
      expect(n.fusedBias).toBeGreaterThan(50);
      expect(n.scalesInTurn).toBeGreaterThan(50);
      expect(n.doubleProduct).toBeGreaterThan(50);
    });
  }
});
