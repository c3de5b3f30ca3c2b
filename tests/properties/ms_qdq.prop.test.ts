/**
 * ms_quantize_linear@1, ms_dequantize_linear@1 (com.microsoft QuantizeLinear-1 / DequantizeLinear-1): the exact
 * reference and the fast impl agree bit for bit (outputs and typed errors) on the vector generator's cases, drawn from
 * fast-check tapes (pinned seed, replay line on failure). The ops run the ONNX ops' arithmetic on mapped arguments, so
 * the property also checks the mapping: every output equals the ONNX op's output on the mapped request. Not vacuous:
 * counters show per-tensor and per-axis layouts, every integer type, zero-point-less uint8 outputs, ties, both ORT
 * element steps of 4-bit runs, saturated outputs, refused attributes and other typed errors.
 */
import { describe, expect, it } from 'vitest';
import { msDequantizeLinearCase, msQuantizeLinearCase } from '../../conformance/cases/onnx_quant_cases.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest } from '../../conformance/protocol/messages.js';
import { decodeMsDequantizeLinear, decodeMsQuantizeLinear } from '../../conformance/protocol/onnx_quant_dispatch.js';
import { TapeRandom, tapeArbitrary } from '../../conformance/runner/fuzz/tape_random.js';
import { msDequantizeLinearAsOnnx, msQuantizeLinearAsOnnx } from '../../contract/ms_qdq_checks.js';
import { ONNX_DTYPE_RANGE } from '../../contract/onnx_dtypes.js';
import { checkDequantizeLinear, checkQuantizeLinear } from '../../contract/onnx_quant_checks.js';
import { quantizeLinearKernel } from '../../contract/qdq_layout.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const RUNS = 400;

/** The ONNX-domain request the com.microsoft one maps to (the dtype attribute names the output type). */
function asOnnxRequest(req: WireRequest): WireRequest {
  const attrs = { ...(req.attrs ?? {}) } as Record<string, unknown>;
  if (req.op === 'ms_quantize_linear@1') {
    const zp = req.inputs?.y_zero_point as { dtype: string } | undefined;
    return { ...req, op: 'quantize_linear@1', attrs: { ...attrs, dtype: zp?.dtype ?? 'uint8' } };
  }
  return { ...req, op: 'dequantize_linear@1', attrs };
}

function agreeOn(name: string, factory: CaseFactory, tally: (req: WireRequest, outputs: Record<string, unknown> | null, code: string | null) => void): void {
  checkProperty(name, tapeArbitrary, (tape) => {
    const req = { id: 'p', ...factory(new TapeRandom(tape), 0) };
    const ref = evaluateRequest(reference, req);
    expect(evaluateRequest(impl, req)).toEqual(ref);
    if ('outputs' in ref) expect(evaluateRequest(reference, asOnnxRequest(req))).toEqual(ref);
    tally(req, 'outputs' in ref ? ref.outputs : null, 'error' in ref ? ref.error.code : null);
  }, RUNS);
}

const attrsOf = (req: WireRequest) => new Attrs(req.attrs ?? {}, req.op);
const inputsOf = (req: WireRequest) => new Inputs(req.inputs ?? {}, req.op);

describe('com.microsoft QuantizeLinear / DequantizeLinear: reference = impl = the ONNX ops on the mapped request', () => {
  it('ms_quantize_linear@1', () => {
    const n = { outputs: 0, errors: 0, refusedAttribute: 0, perAxis: 0, noZeroPoint: 0, dtypes: new Set<string>(), ties: 0, scalarSteps: 0, saturated: 0 };
    agreeOn('ms_quantize_linear@1 reference = impl', msQuantizeLinearCase, (req, out, code) => {
      if (!out) {
        n.errors++;
        if (code === 'malformed_request') n.refusedAttribute++;
        return;
      }
      n.outputs++;
      const a = msQuantizeLinearAsOnnx(decodeMsQuantizeLinear(req.op, attrsOf(req), inputsOf(req)));
      const { dtype, layout } = checkQuantizeLinear(a);
      const { min, max } = ONNX_DTYPE_RANGE[dtype];
      n.dtypes.add(dtype);
      if (!a.yZeroPoint) n.noZeroPoint++;
      if (layout.kind === 'per_axis') n.perAxis++;
      expect(layout.kind).not.toBe('blocked');
      const fourBit = dtype === 'int4' || dtype === 'uint4';
      const y = (out.y as { values: number[] }).values;
      a.x.data.forEach((x, i) => {
        if (quantizeLinearKernel(i, layout, fourBit) === 'scalar') n.scalarSteps++;
        if (y[i] === min || y[i] === max) n.saturated++;
        if (layout.kind === 'per_tensor' && Math.abs(Math.fround(x / a.yScale.data[0]!) % 1) === 0.5) n.ties++;
      });
    });
    expect(n.outputs).toBeGreaterThan(RUNS * 0.6);
    expect(n.errors).toBeGreaterThan(0);
    expect(n.refusedAttribute).toBeGreaterThan(0);
    expect(n.dtypes.size).toBe(6);
    expect(n.noZeroPoint).toBeGreaterThan(10);
    expect(n.perAxis).toBeGreaterThan(40);
    expect(n.ties).toBeGreaterThan(200);
    expect(n.scalarSteps).toBeGreaterThan(20);
    expect(n.saturated).toBeGreaterThan(100);
  });

  it('ms_dequantize_linear@1', () => {
    const n = { outputs: 0, errors: 0, refusedAttribute: 0, perAxis: 0, dtypes: new Set<string>() };
    agreeOn('ms_dequantize_linear@1 reference = impl', msDequantizeLinearCase, (req, out, code) => {
      if (!out) {
        n.errors++;
        if (code === 'malformed_request') n.refusedAttribute++;
        return;
      }
      n.outputs++;
      const { dtype, layout } = checkDequantizeLinear(msDequantizeLinearAsOnnx(decodeMsDequantizeLinear(req.op, attrsOf(req), inputsOf(req))));
      n.dtypes.add(dtype);
      if (layout.kind === 'per_axis') n.perAxis++;
    });
    expect(n.outputs).toBeGreaterThan(RUNS * 0.6);
    expect(n.errors).toBeGreaterThan(0);
    expect(n.refusedAttribute).toBeGreaterThan(0);
    expect(n.dtypes.size).toBe(7);
    expect(n.perAxis).toBeGreaterThan(40);
  });
});
