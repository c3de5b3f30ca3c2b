/**
 * QLinearSoftmax (qlinear_softmax@1): the exact reference (exp and log as exact intervals, every float step rounded
 * on rationals) and the fast impl (the contract's pinned Math.exp table, Math.fround steps) give the same bytes or
 * the same typed error on the vector generator's cases (seeds pinned by fast-check). Not vacuous: counters show both
 * dtypes, the flattened rows of opset < 13, a softmax axis other than the last (ORT transposes), reduce lengths of 1,
 * int8 outputs saturated at 127 (ORT 1.30's fix of onnxruntime#29728), and rows whose float sum is not exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qlinearSoftmaxCase } from '../../conformance/cases/onnx_qops_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeQLinearSoftmax } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkQLinearSoftmax } from '../../contract/qlinear_softmax_checks.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const RUNS = 120;
const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);

const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...qlinearSoftmaxCase(new CaseRandom(`qlinear-softmax/${seed}`), 0) }));

describe('QLinearSoftmax: reference and impl agree bit for bit', () => {
  it('qlinear_softmax@1, not vacuously', () => {
    const n = { outputs: 0, int8: 0, flattened: 0, transposed: 0, single: 0, saturated: 0, inexactSum: 0 };
    checkProperty('qlinear_softmax agrees', requests, (request) => {
      const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
      if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
      if ('error' in ref) return;
      n.outputs++;
      const a = decodeQLinearSoftmax(new Attrs(request.attrs ?? {}, request.op), new Inputs(request.inputs ?? {}, request.op));
      const g = checkQLinearSoftmax('probe', a);
      const rank = a.x.shape.length;
      const axis = a.axis < 0 ? a.axis + rank : a.axis;
      if (g.dtype === 'qint8') n.int8++;
      if (a.opset < 13 && axis < rank - 1) n.flattened++;
      if (a.opset >= 13 && axis < rank - 1) n.transposed++;
      if (g.reduceLength === 1) n.single++;
      const y = (ref.outputs.y as { values: number[] }).values;
      if (g.dtype === 'qint8' && y.some((v) => v === 127) && g.yScaleFloor + g.yZeroPoint > 127) n.saturated++;
      // a row sum that float32 rounds: the table entries are not all multiples of the sum's ulp
      const row0 = Array.from({ length: g.reduceLength }, (_, k) => a.x.data[g.rowStart(0) + k * g.stride] as number);
      const m = Math.max(...row0);
      let sum = 0;
      let exact = 0;
      for (const v of row0) {
        const t = g.expTable[255 - m + v] as number;
        sum = Math.fround(sum + t);
        exact += t;
      }
      if (sum !== exact) n.inexactSum++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.int8).toBeGreaterThan(RUNS * 0.3);
    expect(n.flattened).toBeGreaterThan(5);
    expect(n.transposed).toBeGreaterThan(10);
    expect(n.single).toBeGreaterThan(2);
    expect(n.saturated, 'int8 outputs saturated at 127').toBeGreaterThan(3);
    expect(n.inexactSum).toBeGreaterThan(RUNS * 0.3);
  });
});
