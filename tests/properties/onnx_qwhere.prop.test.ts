/**
 * QLinearWhere: the exact reference and the fast impl give the same bytes (or the same typed error) on the vector
 * generator's cases (seeds drawn by fast-check, pinned). Not vacuous: counters show both dtypes, x and y copied
 * (ORT's same-parameters path) and mapped through tables, every table entry of a dtype, broadcasts of every operand
 * (scalar conditions, outputs larger than each input), both branches taken in one output, the byte 0 chosen from x
 * (where ORT's merge falls through to the y selection, which is 0 there), clamped outputs and typed refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qlinearWhereCase } from '../../conformance/cases/onnx_qwhere_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { Inputs, type WireRequest } from '../../conformance/protocol/messages.js';
import { decodeQLinearWhere } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { numel } from '../../contract/tensor.js';
import { checkQLinearWhere } from '../../contract/qlinear_where_checks.js';
import { checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 400;
const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...qlinearWhereCase(new CaseRandom(`onnx-qwhere/${seed}`), 0) }));

describe('QLinearWhere: reference and impl agree bit for bit', () => {
  it('qlinear_where@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, int8: 0, xCopied: 0, xMapped: 0, yCopied: 0, yMapped: 0, wholeTable: 0, scalarCondition: 0, broadcastAll: 0, bothBranches: 0, zeroFromX: 0, clamped: 0 };
    checkAnsweredAgreement('qlinear_where agrees', requests, n, (request, ref) => {
      const args = decodeQLinearWhere(new Inputs(request.inputs ?? {}, request.op));
      const g = checkQLinearWhere('qlinear_where', args);
      const z = (ref.outputs.y as { values: number[] }).values;
      if (g.dtype === 'qint8') n.int8++;
      const same = (s: number, zp: number) => s === g.zScale && zp === g.zZeroPoint;
      if (same(g.xScale, g.xZeroPoint)) n.xCopied++;
      else n.xMapped++;
      if (same(g.yScale, g.yZeroPoint)) n.yCopied++;
      else n.yMapped++;
      if (args.x.data.length === 256 && new Set(args.x.data).size === 256) n.wholeTable++;
      if (args.condition.data.length === 1 && z.length > 1) n.scalarCondition++;
      const count = numel(g.outShape);
      if ([args.condition, args.x, args.y].every((t) => t.data.length < count)) n.broadcastAll++;
      const taken = Array.from(g.conditionIndex, (c) => args.condition.data[c]);
      if (taken.includes(1) && taken.includes(0)) n.bothBranches++;
      if (z.some((v, k) => v === 0 && taken[k] === 1)) n.zeroFromX++;
      if (z.some((v) => v === 0 || v === 255 || v === -128 || v === 127)) n.clamped++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.refused).toBeGreaterThan(2);
    expect(n.int8).toBeGreaterThan(100);
    for (const k of ['xCopied', 'yCopied'] as const) expect(n[k], k).toBeGreaterThan(40);
    for (const k of ['xMapped', 'yMapped'] as const) expect(n[k], k).toBeGreaterThan(150);
    expect(n.wholeTable).toBeGreaterThan(40);
    expect(n.scalarCondition).toBeGreaterThan(20);
    expect(n.broadcastAll, 'outputs larger than each of condition, x and y').toBeGreaterThan(8);
    expect(n.bothBranches).toBeGreaterThan(60);
    expect(n.zeroFromX, 'byte 0 taken from x where the condition holds').toBeGreaterThan(10);
    expect(n.clamped).toBeGreaterThan(50);
  });
});
