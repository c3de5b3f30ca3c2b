/**
 * QLinearGlobalAveragePool, QLinearAveragePool and QLinearConcat: the exact reference and the fast impl give the
 * same bytes (or the same typed error) on the vector generators' cases (seeds drawn by fast-check, pinned). Not
 * vacuous: counters show both layouts and dtypes, MLAS channel tails and long images, exact rounding ties,
 * clamped outputs, the average pool's global-pool shortcut where the float window path would answer otherwise,
 * the int32 cast's indefinite value (a large positive average giving qmin), count_include_pad and ceil_mode
 * changing outputs, auto_pad, concat inputs copied and mapped, and every table entry of a dtype.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { qlinearAveragePoolCase, qlinearConcatCase, qlinearGlobalAveragePoolCase } from '../../conformance/cases/onnx_qpool_cases.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeQLinearAveragePool, decodeQLinearConcat, decodeQLinearGlobalAveragePool } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkQLinearAveragePool, checkQLinearGlobalAveragePool } from '../../contract/qlinear_pool_checks.js';
import { checkQLinearConcat } from '../../contract/qlinear_concat_checks.js';
import { f32Div, f32Mul } from '../../impl/float32.js';
import { averagePoolFloat } from '../../impl/onnx/qlinear_average_pool.js';
import { caseRequests, checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 300;
const requests = (factory: CaseFactory) => caseRequests('onnx-qpool', factory);

const decoded = (request: WireRequest) => ({ a: new Attrs(request.attrs ?? {}, request.op), i: new Inputs(request.inputs ?? {}, request.op), raw: request.attrs ?? {} });
const yValues = (r: WireResponse) => ('outputs' in r ? (r.outputs.y as { values: number[] }).values : []);

describe('QLinearGlobalAveragePool, QLinearAveragePool, QLinearConcat: reference and impl agree bit for bit', () => {
  it('qlinear_global_average_pool@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, channelsLast: 0, int8: 0, channelTail: 0, longImage: 0, ties: 0, clamped: 0 };
    checkAnsweredAgreement('qlinear_global_average_pool agrees', requests(qlinearGlobalAveragePoolCase), n, (request, ref) => {
      const { a, i } = decoded(request);
      const args = decodeQLinearGlobalAveragePool(a, i);
      const g = checkQLinearGlobalAveragePool('qlinear_global_average_pool', args);
      if (g.channelsLast && g.channels > 1) n.channelsLast++;
      if (g.dtype === 'qint8') n.int8++;
      if (g.channels > 8 && g.channels % 8 !== 0) n.channelTail++;
      if (g.imageSize >= 40) n.longImage++;
      const scale = f32Div(args.xScale.data[0] as number, f32Mul(args.yScale.data[0] as number, g.imageSize));
      for (let nc = 0; nc < g.batch * g.channels; nc++) {
        let acc = -g.xZeroPoint * g.imageSize;
        for (let k = 0; k < g.imageSize; k++) acc += args.x.data[g.channelsLast ? (Math.floor(nc / g.channels) * g.imageSize + k) * g.channels + (nc % g.channels) : nc * g.imageSize + k] as number;
        const v = f32Mul(Math.fround(acc), scale);
        if (Math.abs(v - Math.trunc(v)) === 0.5) {
          n.ties++;
          break;
        }
      }
      if (yValues(ref).some((v) => v === 0 || v === 255 || v === -128 || v === 127)) n.clamped++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.85);
    expect(n.refused).toBeGreaterThan(2);
    expect(n.channelsLast).toBeGreaterThan(50);
    expect(n.int8).toBeGreaterThan(50);
    expect(n.channelTail).toBeGreaterThan(20);
    expect(n.longImage).toBeGreaterThan(20);
    expect(n.ties, 'cases with an exact tie f32(acc * scale) = k + 1/2').toBeGreaterThan(10);
    expect(n.clamped).toBeGreaterThan(50);
  });

  it('qlinear_average_pool@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, global: 0, globalMatters: 0, indefinite: 0, ties: 0, includePadMatters: 0, ceilExtra: 0, channelsLast: 0, rank1: 0, rank3: 0, autoPad: 0 };
    checkAnsweredAgreement('qlinear_average_pool agrees', requests(qlinearAveragePoolCase), n, (request, ref) => {
      const { a, i } = decoded(request);
      const args = decodeQLinearAveragePool(a, i);
      const g = checkQLinearAveragePool('qlinear_average_pool', args);
      const y = yValues(ref);
      if (args.channelsLast) n.channelsLast++;
      if (args.kernelShape.length === 1) n.rank1++;
      if (args.kernelShape.length === 3) n.rank3++;
      if (args.autoPad !== 'NOTSET') n.autoPad++;
      if (g.global) {
        n.global++;
        if (JSON.stringify([...averagePoolFloat(args, g)]) !== JSON.stringify(y)) n.globalMatters++;
        return;
      }
      const other = averagePoolFloat({ ...args, countIncludePad: !args.countIncludePad }, g);
      if (JSON.stringify([...other]) !== JSON.stringify(y)) n.includePadMatters++;
      if (args.ceilMode) {
        const floorShape = checkQLinearAveragePool('qlinear_average_pool', { ...args, ceilMode: false }).outShape;
        if (JSON.stringify(floorShape) !== JSON.stringify(g.outShape)) n.ceilExtra++;
      }
      // the float path's last value before rounding: ties k + 1/2, and positive values beyond int32 (the cast's INT32_MIN)
      let [tie, indefinite] = [false, false];
      averagePoolFloat(args, g, (v) => {
        if (Math.abs(v % 1) === 0.5) tie = true;
        if (v >= 2 ** 31) indefinite = true;
      });
      if (tie) n.ties++;
      if (indefinite) n.indefinite++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.85);
    expect(n.refused).toBeGreaterThan(2);
    expect(n.global).toBeGreaterThan(20);
    expect(n.globalMatters, "ORT's global shortcut answers differently from the float window path").toBeGreaterThan(3);
    expect(n.indefinite, 'averages beyond int32: the cast gives INT32_MIN, so qmin').toBeGreaterThan(3);
    expect(n.ties).toBeGreaterThan(20);
    expect(n.includePadMatters).toBeGreaterThan(30);
    expect(n.ceilExtra).toBeGreaterThan(10);
    expect(n.channelsLast).toBeGreaterThan(50);
    expect(n.rank1).toBeGreaterThan(20);
    expect(n.rank3).toBeGreaterThan(20);
    expect(n.autoPad).toBeGreaterThan(30);
  });

  it('qlinear_concat@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, copied: 0, mapped: 0, wholeTable: 0, negativeAxis: 0, several: 0, saturated: 0 };
    checkAnsweredAgreement('qlinear_concat agrees', requests(qlinearConcatCase), n, (request, ref) => {
      const { a, i } = decoded(request);
      const args = decodeQLinearConcat(a, i);
      const g = checkQLinearConcat('qlinear_concat', args);
      args.inputs.forEach((_, k) => (g.scales[k] === g.yScale && g.zeroPoints[k] === g.yZeroPoint ? n.copied++ : n.mapped++));
      if (args.inputs.some((t) => t.x.data.length === 256 && new Set(t.x.data).size === 256)) n.wholeTable++;
      if (args.axis < 0) n.negativeAxis++;
      if (args.inputs.length > 1) n.several++;
      if (yValues(ref).some((v) => v === 0 || v === 255 || v === -128 || v === 127)) n.saturated++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.copied).toBeGreaterThan(50);
    expect(n.mapped).toBeGreaterThan(200);
    expect(n.wholeTable).toBeGreaterThan(30);
    expect(n.negativeAxis).toBeGreaterThan(30);
    expect(n.several).toBeGreaterThan(150);
    expect(n.saturated).toBeGreaterThan(50);
  });
});
