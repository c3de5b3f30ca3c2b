import { describe, expect, it } from 'vitest';
import { REJECTED_INTEGER_TO_FLOAT_FORMS } from '../../conformance/cases/integer_to_float_alternatives.js';
import { hexToF32 } from '../../contract/wire.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeDynamicQuantizeMatMul, decodeMatMulIntegerToFloat } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat } from '../../contract/matmul_integer_to_float_checks.js';
import { integerToFloatTerms } from '../support/integer_to_float_terms.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What the golden vectors of com.microsoft MatMulIntegerToFloat and DynamicQuantizeMatMul (from onnxruntime-node
 * 1.30: vectors/onnxruntime-1.30-ops and -haswell; tests/vectors/ort_ops_vectors.test.ts runs every case through
 * reference and impl) cover, and that ORT's outputs refute each rejected reading of the float32 output step
 * (an FMA bias add, the scales applied in turn, the product in double) on many cases.
 */
const OPS = ['matmul_integer_to_float@1', 'dynamic_quantize_matmul@1'] as const;
const { host, haswell } = ortOpsCases();
type Case = (typeof host)[number];
const shape = (c: Case, name: string) => (c.inputs[name] as { shape: number[] } | undefined)?.shape ?? [];
const dtype = (c: Case, name: string) => (c.inputs[name] as { dtype: string } | undefined)?.dtype;
const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
const withOutputs = (cases: Case[], op: string) => cases.filter((c) => c.op === op && 'outputs' in c.expect);
const expected = (c: Case) => ((c.expect as unknown as { outputs: { y: { hex: string[] } } }).outputs.y.hex).map((h) => hexToF32(h));

/** Which scale enters the GEMM multiplier and which scale the output (the contract's reading of ORT's FixupScaleTensor / ScaleOutput). */
function scaleRoles(c: Case) {
  const raw = c.attrs ?? {};
  const [at, inp] = [new Attrs(raw, c.op), new Inputs(c.inputs ?? {}, c.op)];
  return c.op === 'matmul_integer_to_float@1' ? checkMatMulIntegerToFloat(decodeMatMulIntegerToFloat(at, inp)) : checkDynamicQuantizeMatMul(decodeDynamicQuantizeMatMul(at, inp));
}

/** The cases on which a rejected form gives some output other than ORT's. */
function refutedBy(cases: Case[], form: keyof typeof REJECTED_INTEGER_TO_FLOAT_FORMS): number {
  const f = REJECTED_INTEGER_TO_FLOAT_FORMS[form]!;
  return cases.filter((c) => {
    const terms = integerToFloatTerms(c);
    const want = expected(c);
    return terms !== null && terms.some((t, i) => !Object.is(f(t.acc, t.aScale, t.bScale, t.bias), want[i]));
  }).length;
}

describe('MatMulIntegerToFloat / DynamicQuantizeMatMul golden vectors', () => {
  for (const op of OPS) {
    it(`${op}: 300 host and 75 Haswell cases, mostly outputs, a few refusals ORT shares`, () => {
      for (const [cases, n] of [[host, 300], [haswell, 75]] as const) {
        const mine = cases.filter((c) => c.op === op);
        expect(mine.length).toBe(n);
        expect(withOutputs(cases, op).length / n).toBeGreaterThan(0.9);
      }
      expect(host.filter((c) => c.op === op).some((c) => 'error' in c.expect)).toBe(true);
    });

    it(`${op}: covers per-column scales and zero points apart, biases, batches, 1-D operands, accumulators beyond 2^24`, () => {
      const ok = withOutputs(host, op);
      expect(ok.filter((c) => count(shape(c, 'b_scale')) > 1).length).toBeGreaterThan(50);
      expect(ok.filter((c) => count(shape(c, 'b_scale')) === 1 && count(shape(c, 'b_zero_point')) > 1).length, 'per-column zero point, per-tensor scale').toBeGreaterThan(10);
      expect(ok.filter((c) => count(shape(c, 'b_scale')) > 1 && count(shape(c, 'b_zero_point')) <= 1).length, 'per-column scale, per-tensor zero point').toBeGreaterThan(10);
      expect(ok.filter((c) => c.inputs.bias).length).toBeGreaterThan(100);
      expect(ok.filter((c) => shape(c, 'a').length > 2).length).toBeGreaterThan(20);
      expect(ok.filter((c) => shape(c, 'a').length === 1 || shape(c, 'b').length === 1).length).toBeGreaterThan(5);
      expect(ok.filter((c) => (integerToFloatTerms(c) ?? []).some((t) => Math.abs(t.acc) > 2 ** 24 && Math.fround(t.acc) !== t.acc)).length, 'float(acc) rounds').toBeGreaterThan(3);
      const scaledOutput = ok.filter((c) => scaleRoles(c).outputScales.length > 0);
      expect(scaledOutput.length, 'scales ORT multiplies into the output (ScaleOutput)').toBeGreaterThan(10);
      if (op === 'matmul_integer_to_float@1') {
        expect(ok.filter((c) => count(shape(c, 'a_scale')) > 1 && count(shape(c, 'b_scale')) === 1 && scaleRoles(c).gemmAScale?.shape.length === shape(c, 'b_scale').length && scaleRoles(c).scalePerColumn).length, "a_scale taken as b's (FixupScaleTensor)").toBeGreaterThan(0);
        expect(ok.filter((c) => count(shape(c, 'a_scale')) > 1 && scaleRoles(c).outputScales.length > 0).length, 'a_scale scaling the output').toBeGreaterThan(0);
      }
      if (op === 'matmul_integer_to_float@1') expect(new Set(ok.map((c) => `${dtype(c, 'a')}x${dtype(c, 'b')}`))).toEqual(new Set(['quint8xquint8', 'quint8xqint8', 'qint8xqint8']));
      else expect(new Set(ok.map((c) => dtype(c, 'b')))).toEqual(new Set(['quint8', 'qint8']));
    });

    it(`${op}: ORT's outputs refute an FMA bias add, the scales in turn and a double product`, () => {
      const ok = withOutputs(host, op);
      expect(refutedBy(ok, 'fusedBias')).toBeGreaterThan(50);
      expect(refutedBy(ok, 'scalesInTurn')).toBeGreaterThan(50);
      expect(refutedBy(ok, 'doubleProduct')).toBeGreaterThan(50);
      expect(refutedBy(withOutputs(haswell, op), 'fusedBias'), 'on Haswell too (the output processor is the same SSE2 code)').toBeGreaterThan(10);
    });
  }
});
