/**
 * The `sat16_pairs_im2col` accumulator (ONNX Runtime 1.30's MLAS u8s8 AVX2 path): the exact reference and the
 * fast impl give the same bytes (or the same typed error) on convs aimed at what distinguishes it (odd channels
 * per group, odd K, padding with a non-zero input zero point, groups, stride, dilation, per-channel weights,
 * saturating values), over every scheme that takes quint8 activations. Not vacuous: in a good share of cases
 * some pair saturates (an accumulator differs from the exact sum, mod 2^32) and the outputs differ from
 * `int32_wrap`; and the im2col pairing (pairs straddling taps; padding inside the pairs) changes outputs
 * against the per-tap `sat16_pairs` both without padding (odd Cg) and with padding (z_x != 0).
 */
import { describe, expect, it } from 'vitest';
import { decodeConvArgs } from '../../conformance/protocol/conv_dispatch.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { conv2d__direct } from '../../impl/conv/direct.js';
import { conv2d__sat16_pairs_im2col } from '../../impl/conv/sat16_pairs_im2col.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { im2colConvCase } from '../arbitraries/im2col_conv_request.js';
import { checkProperty } from '../support/property.js';
import { PROPERTY_RUNS } from '../support/run_budget.js';

const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
const under = (request: WireRequest, accumulator: string): WireRequest => ({ ...request, attrs: { ...request.attrs, accumulator } });

/** Whether some accumulator of the conv differs (mod 2^32) from the exact sum: some pair saturated. */
function someAccumulatorSaturated(request: WireRequest): boolean {
  const a = decodeConvArgs('quantized_conv2d@1', new Attrs(request.attrs ?? {}, request.op), new Inputs(request.inputs ?? {}, request.op));
  const g = checkConv2d(a);
  const [sat, exact] = [conv2d__sat16_pairs_im2col(a, g), conv2d__direct(a, g)];
  return sat.some((v, i) => (v | 0) !== ((exact[i] as number) | 0));
}

describe('quantized_conv2d, accumulator sat16_pairs_im2col: reference and impl agree bit for bit', () => {
  it('agree on targeted geometries and saturating values, not vacuously', () => {
    const n = { cases: 0, outputs: 0, saturated: 0, changedVsWrap: 0, oddCgUnpadded: 0, oddCgUnpaddedVsPerTap: 0, paddedZx: 0, paddedZxVsPerTap: 0, grouped: 0, perChannel: 0, depthwise: 0 };
    const schemes = new Set<string>();
    checkProperty(
      'sat16_pairs_im2col agrees',
      im2colConvCase,
      ({ geometry: g, request }) => {
        const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
        if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 400)}\nimpl ${JSON.stringify(imp).slice(0, 400)}`);
        n.cases++;
        schemes.add(String(request.attrs?.scheme));
        if ('error' in ref) return;
        n.outputs++;
        if (someAccumulatorSaturated(request)) n.saturated++;
        if (identity(evaluateRequest(impl, under(request, 'int32_wrap'))) !== identity(ref)) n.changedVsWrap++;
        const perTapDiffers = identity(evaluateRequest(impl, under(request, 'sat16_pairs'))) !== identity(ref);
        const icg = g.c / g.groups;
        const padded = g.padding[0] > 0 || g.padding[1] > 0;
        if (icg % 2 === 1 && icg > 1 && !padded) {
          n.oddCgUnpadded++;
          if (perTapDiffers) n.oddCgUnpaddedVsPerTap++;
        }
        if (padded && request.attrs?.x_zero_point !== 0) {
          n.paddedZx++;
          if (perTapDiffers) n.paddedZxVsPerTap++;
        }
        if (g.kind === 'grouped') n.grouped++;
        if (g.kind === 'depthwise') n.depthwise++;
        if (request.attrs?.weight_quantization === 'per_channel') n.perChannel++;
      },
      PROPERTY_RUNS,
    );
    const context = JSON.stringify(n);
    if (process.env.QCONFORM_COVERAGE) console.info(context);
    if (process.env.QCONFORM_PATH) return; // one replayed case cannot meet whole-run bounds
    expect(schemes.size, context).toBeGreaterThanOrEqual(8);
    expect(n.outputs / n.cases, context).toBeGreaterThan(0.8);
    expect(n.saturated / n.outputs, context).toBeGreaterThan(0.6);
    expect(n.changedVsWrap / n.outputs, context).toBeGreaterThan(0.35);
    expect(n.oddCgUnpaddedVsPerTap, context).toBeGreaterThan(50);
    expect(n.paddedZxVsPerTap, context).toBeGreaterThan(90);
    for (const k of ['grouped', 'depthwise', 'perChannel'] as const) expect(n[k], `${k}; ${context}`).toBeGreaterThan(30);
  });
});
