/**
 * quantize_linear@1, dequantize_linear@1, dynamic_quantize_linear@1: the exact reference and the fast impl agree
 * bit for bit (outputs and typed errors) on cases from the ONNX generators (conformance/cases/onnx_quant_cases.ts:
 * division ties, saturation edges, +-inf and NaN, per-axis and blocked layouts, 4-bit types), drawn from fast-check
 * tapes so failures shrink. Counters prove each property met what it is about: ties, both ORT element steps,
 * saturated outputs, every layout, typed errors.
 */

import { describe, expect, it } from 'vitest';
import { dequantizeLinearCase, dynamicQuantizeLinearCase, quantizeLinearCase } from '../../conformance/cases/onnx_quant_cases.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { TapeRandom, tapeArbitrary } from '../../conformance/runner/fuzz/tape_random.js';
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from '../../contract/onnx_dtypes.js';
import { checkDequantizeLinear, checkQuantizeLinear } from '../../contract/onnx_quant_checks.js';
import { quantizeLinearKernel } from '../../contract/qdq_layout.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeDequantizeLinear, decodeQuantizeLinear } from '../../conformance/protocol/onnx_quant_dispatch.js';
import { hexToF32 } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const RUNS = 400;

function agreeOn(name: string, factory: CaseFactory, tally: (req: WireRequest, outputs: Record<string, unknown> | null) => void): void {
  checkProperty(name, tapeArbitrary, (tape) => {
    const req = { id: 'p', ...factory(new TapeRandom(tape), 0) };
    const ref = evaluateRequest(reference, req);
    expect(evaluateRequest(impl, req)).toEqual(ref);
    tally(req, 'outputs' in ref ? ref.outputs : null);
  }, RUNS);
}

const decoded = <T>(req: WireRequest, decode: (op: string, a: Attrs, i: Inputs) => T) => decode(req.op, new Attrs(req.attrs ?? {}, req.op), new Inputs(req.inputs ?? {}, req.op));

describe('ONNX quantization ops: reference = impl', () => {
  it('quantize_linear@1', () => {
    const n = { outputs: 0, errors: 0, ties: 0, scalarSteps: 0, mlasSteps: 0, saturated: 0, nan: 0, blocked: 0, perAxis: 0, fourBit: 0 };
    agreeOn('quantize_linear@1 reference = impl', quantizeLinearCase, (req, out) => {
      if (!out) return void n.errors++;
      n.outputs++;
      const a = decoded(req, decodeQuantizeLinear);
      const { dtype, layout } = checkQuantizeLinear(a);
      const { min, max } = ONNX_DTYPE_RANGE[dtype];
      const fourBit = dtype === 'int4' || dtype === 'uint4';
      if (layout.kind === 'blocked') n.blocked++;
      if (layout.kind === 'per_axis') n.perAxis++;
      if (fourBit) n.fourBit++;
      const y = (out.y as { values: number[] }).values;
      a.x.data.forEach((x, i) => {
        if (quantizeLinearKernel(i, layout, fourBit) === 'scalar') n.scalarSteps++;
        else n.mlasSteps++;
        if (Number.isNaN(x)) n.nan++;
        if (y[i] === min || y[i] === max) n.saturated++;
        if (layout.kind === 'per_tensor' && Math.abs(Math.fround(x / a.yScale.data[0]!) % 1) === 0.5) n.ties++;
      });
    });
    expect(n.outputs).toBeGreaterThan(RUNS * 0.6); // a tape that runs out reads 0s, which pick the rare invalid options
    expect(n.errors).toBeGreaterThan(0);
    expect(n.ties).toBeGreaterThan(200);
    expect(n.scalarSteps).toBeGreaterThan(200);
    expect(n.mlasSteps).toBeGreaterThan(1000);
    expect(n.saturated).toBeGreaterThan(100);
    expect(n.nan).toBeGreaterThan(10);
    expect(Math.min(n.blocked, n.perAxis, n.fourBit)).toBeGreaterThan(40);
  });

  it('dequantize_linear@1', () => {
    const n = { outputs: 0, errors: 0, blocked: 0, perAxis: 0, dtypes: new Set<OnnxIntDtype>(), int32WithZeroPoint: 0 };
    agreeOn('dequantize_linear@1 reference = impl', dequantizeLinearCase, (req, out) => {
      if (!out) return void n.errors++;
      n.outputs++;
      const a = decoded(req, decodeDequantizeLinear);
      const { dtype, layout } = checkDequantizeLinear(a);
      n.dtypes.add(dtype);
      if (layout.kind === 'blocked') n.blocked++;
      if (layout.kind === 'per_axis') n.perAxis++;
      if (dtype === 'int32' && a.xZeroPoint?.data.some((z) => z !== 0)) n.int32WithZeroPoint++;
    });
    expect(n.outputs).toBeGreaterThan(RUNS * 0.6); // a tape that runs out reads 0s, which pick the rare invalid options
    expect(n.errors).toBeGreaterThan(0);
    expect(n.dtypes.size).toBe(7);
    expect(Math.min(n.blocked, n.perAxis)).toBeGreaterThan(25);
    expect(n.int32WithZeroPoint).toBeGreaterThan(0);
  });

  it('dynamic_quantize_linear@1', () => {
    const n = { outputs: 0, nanRefused: 0, scaleOne: 0, scaleInfOrZero: 0, zpInside: 0 };
    agreeOn('dynamic_quantize_linear@1 reference = impl', dynamicQuantizeLinearCase, (_req, out) => {
      if (!out) return void n.nanRefused++;
      n.outputs++;
      const scale = hexToF32((out.y_scale as { hex: string[] }).hex[0]!);
      const zp = (out.y_zero_point as { values: number[] }).values[0]!;
      if (scale === 1) n.scaleOne++;
      if (scale === 0 || scale === Infinity) n.scaleInfOrZero++;
      if (zp > 0 && zp < 255) n.zpInside++;
    });
    expect(n.outputs).toBeGreaterThan(RUNS * 0.6); // a tape that runs out reads 0s, which pick the rare invalid options
    expect(n.nanRefused).toBeGreaterThan(0);
    expect(n.scaleOne).toBeGreaterThan(5);
    expect(n.scaleInfOrZero).toBeGreaterThan(5);
    expect(n.zpInside).toBeGreaterThan(50);
  });
});


