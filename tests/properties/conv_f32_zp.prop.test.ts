/**
 * sat16_pairs_f32_zp (oneDNN v2.6.3's 1x1 kernel without VNNI): the exact reference and the fast impl give
 * the same bytes on large-channel 1x1 convs built so the float32 compensation matters. Not vacuous: in a
 * good fraction of cases the float32 rounding of the compensation changes outputs against `sat16_pairs`
 * (the same sum with exact zero-point terms), most outputs are unsaturated, and outside the 1x1 kernel's
 * geometry or scheme the model is refused with a typed error.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { onednn1x1Request, onednn1x1Seed } from '../arbitraries/onednn_1x1_request.js';
import { checkProperty } from '../support/property.js';

type Response = ReturnType<typeof evaluateRequest>;
const identity = (r: Response) => JSON.stringify('error' in r ? r.error.code : r.outputs);

describe('sat16_pairs_f32_zp: reference and impl agree bit for bit', () => {
  it('agree on large-channel 1x1 convs, and the float32 compensation changes some outputs', () => {
    let cases = 0;
    let changed = 0;
    let elements = 0;
    let inside = 0;
    checkProperty(
      'sat16_pairs_f32_zp agrees',
      onednn1x1Seed,
      (seed) => {
        const request = onednn1x1Request(seed, 'sat16_pairs_f32_zp');
        const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
        if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 400)}\nimpl ${JSON.stringify(imp).slice(0, 400)}`);
        if ('error' in ref) throw new Error(`unexpected error ${ref.error.message}`);
        cases++;
        const exactZp = evaluateRequest(impl, onednn1x1Request(seed, 'sat16_pairs'));
        if (identity(exactZp) !== identity(ref)) changed++;
        for (const v of (ref.outputs.y as { values: number[] }).values) {
          elements++;
          if (v > 0 && v < 255) inside++;
        }
      },
      120,
    );
    expect(cases).toBe(120);
    expect(changed / cases).toBeGreaterThan(0.2);
    expect(inside / elements).toBeGreaterThan(0.3);
  }, 300_000);

  it('is refused outside torch-onednn@1 and the 1x1 kernel geometry', () => {
    const request = onednn1x1Request(7, 'sat16_pairs_f32_zp');
    const attrs = request.attrs as Record<string, unknown>;
    const refused = (r: typeof request) => [reference, impl].map((ops) => {
      const res = evaluateRequest(ops, r);
      return 'error' in res ? res.error.code : 'ok';
    });
    expect(refused(request)).toEqual(['ok', 'ok']);
    expect(refused({ ...request, attrs: { ...attrs, padding: [1, 1] } })).toEqual(['unsupported_by_scheme', 'unsupported_by_scheme']);
    expect(refused({ ...request, attrs: { ...attrs, scheme: 'exact@1' } })).toEqual(['unsupported_by_scheme', 'unsupported_by_scheme']);
  });
});
