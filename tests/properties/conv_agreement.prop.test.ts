/**
 * quantized_conv2d@1 end to end: for every scheme and accumulator model, the exact reference and the fast
 * impl give the same bytes (or the same typed error) on generated convs (dense, pointwise, depthwise,
 * grouped; stride, padding, dilation, batch; full-range and adversarial values), and every output lies in
 * the clamp range. Not vacuous: most cases return outputs, most outputs are unsaturated, the sat16 model
 * changes some accumulators, and every (scheme, accumulator) pair is seen.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { ACCUMULATORS, REQUANT_SCHEMES } from '../../contract/conv.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { convCase } from '../arbitraries/conv_request.js';
import { checkProperty } from '../support/property.js';

describe('quantized_conv2d: reference and impl agree bit for bit', () => {
  it('agree on every scheme and accumulator, within the clamp range, not vacuously', () => {
    const pairs = new Set<string>();
    let cases = 0;
    let withOutputs = 0;
    let elements = 0;
    let inside = 0;
    let sat16Changed = 0;
    checkProperty(
      'quantized_conv2d agrees',
      convCase,
      ({ scheme, request }) => {
        const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
        const identity = (r: typeof ref) => JSON.stringify('error' in r ? r.error.code : r.outputs);
        if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 400)}\nimpl ${JSON.stringify(imp).slice(0, 400)}`);
        cases++;
        pairs.add(`${scheme}/${String(request.attrs?.accumulator)}`);
        if ('error' in ref) return;
        withOutputs++;
        if (request.attrs?.accumulator === 'sat16_pairs') {
          const wrapped = evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } });
          if (identity(wrapped) !== identity(ref)) sat16Changed++;
        }
        const y = ref.outputs.y as { dtype: QuantDtype; values: number[] };
        const { min, max } = DTYPE_RANGE[y.dtype];
        const lo = request.attrs?.relu ? Math.max(min, request.attrs.y_zero_point as number) : min;
        for (const v of y.values) {
          if (v < lo || v > max) throw new Error(`output ${v} outside [${lo}, ${max}]`);
          elements++;
          if (v > lo && v < max) inside++;
        }
      },
      1000,
    );
    expect(pairs.size).toBe(REQUANT_SCHEMES.length * ACCUMULATORS.length);
    expect(withOutputs / cases).toBeGreaterThan(0.7);
    expect(inside / elements).toBeGreaterThan(0.3);
    expect(sat16Changed).toBeGreaterThan(10);
  });
});
