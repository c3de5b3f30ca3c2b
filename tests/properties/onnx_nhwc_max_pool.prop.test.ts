/**
 * NhwcMaxPool: the exact reference (tap by tap over coordinates) and the fast impl (precomputed offsets) give the same
 * bytes (or the same typed error) on the vector generator's cases (seeds drawn by fast-check, pinned; replay line on
 * failure). Not vacuous: counters show both dtypes, 1 to 3 spatial dims, dilations, ceil_mode windows that run past
 * the padded image, auto_pad, windows that hold padding where every real tap is below 0 (so reading a pad as 0
 * instead of lowest() would change int8 outputs), windows of padding only (the lowest value), and typed refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nhwcMaxPoolCase } from '../../conformance/cases/onnx_nhwc_max_pool_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeNhwcMaxPool } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import { numel } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const RUNS = 300;
const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...nhwcMaxPoolCase(new CaseRandom(`onnx-nhwc-max-pool/${seed}`), 0) }));

describe('NhwcMaxPool: reference and impl agree bit for bit', () => {
  it('nhwc_max_pool@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, int8: 0, ranks: new Set<number>(), dilated: 0, ceil: 0, autoPad: 0, negativeBesidePad: 0, padOnly: 0 };
    checkProperty('nhwc_max_pool agrees', requests, (request) => {
      const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
      if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
      if ('error' in ref) return void n.refused++;
      n.outputs++;
      const raw = request.attrs ?? {};
      const args = decodeNhwcMaxPool(new Attrs(raw, request.op), new Inputs(request.inputs ?? {}, request.op));
      const g = checkNhwcMaxPool('nhwc_max_pool', args);
      if (g.dtype === 'qint8') n.int8++;
      n.ranks.add(g.inDims.length);
      if (g.dilations.some((d) => d > 1)) n.dilated++;
      if (args.ceilMode) n.ceil++;
      if (args.autoPad !== 'NOTSET') n.autoPad++;
      // per output position (first image, first channel): how many taps are real, and their maximum
      const C = g.channels;
      const taps = numel(g.kernel);
      let sawNegativeBesidePad = false;
      let sawPadOnly = false;
      for (let o = 0; o < numel(g.outDims); o++) {
        const oc: number[] = [];
        for (let d = g.outDims.length - 1, rest = o; d >= 0; d--) {
          oc[d] = rest % g.outDims[d]!;
          rest = Math.floor(rest / g.outDims[d]!);
        }
        let real = 0;
        let best = -Infinity;
        for (let t = 0; t < taps; t++) {
          let flat = 0;
          let inside = true;
          for (let d = 0, rest = t, div = taps; d < g.kernel.length; d++) {
            div /= g.kernel[d]!;
            const tap = Math.floor(rest / div);
            rest %= div;
            const v = oc[d]! * g.strides[d]! - g.padHeads[d]! + tap * g.dilations[d]!;
            if (v < 0 || v >= g.inDims[d]!) inside = false;
            flat = flat * g.inDims[d]! + v;
          }
          if (!inside) continue;
          real++;
          best = Math.max(best, args.x.data[flat * C]!);
        }
        if (real === 0) sawPadOnly = true;
        else if (real < taps && best < 0) sawNegativeBesidePad = true;
      }
      if (sawNegativeBesidePad) n.negativeBesidePad++;
      if (sawPadOnly) n.padOnly++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.refused).toBeGreaterThan(2);
    expect(n.int8).toBeGreaterThan(100);
    expect([...n.ranks].sort()).toEqual([1, 2, 3]);
    expect(n.dilated).toBeGreaterThan(60);
    expect(n.ceil).toBeGreaterThan(80);
    expect(n.autoPad).toBeGreaterThan(20);
    expect(n.negativeBesidePad, 'int8 windows holding padding whose real taps are all negative').toBeGreaterThan(20);
    expect(n.padOnly, 'windows of padding only').toBeGreaterThan(3);
  });
});
