/**
 * quantized_linear@1 and quantized_linear_dynamic@1: the exact reference and the fast impl give the same bytes
 * (or the same typed error) on the torch linear generators' cases (conformance/cases/linear_cases.ts), with a
 * pinned seed and a replay line on failure. Not vacuous: most cases return outputs, both engines and both
 * weight quantizations are seen (the dynamic linear on both engines too), static outputs are both inside and at the clamp bounds, and the dynamic cases
 * reach every branch of ChooseQuantizationParams (plain, scale 0.1 for an all-zero x, the 6.1e-5 cut) and ReLU.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { torchDrawnDynamicLinearCase, torchOnednnGemmDynamicLinearCase, torchOnednnStaticLinearCase, torchStaticLinearCase } from '../../conformance/cases/linear_cases.js';
import { onednnGemmPairsAreGlobal } from '../../contract/onednn_gemm.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { decodeTensor } from '../../contract/wire.js';
import { chooseQuantizationParams } from '../../impl/linear/choose_quantization_params.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const requests = (factory: typeof torchStaticLinearCase, stem: string): fc.Arbitrary<WireRequest> =>
  fc.integer().map((seed) => ({ id: `${stem}-${seed}`, ...factory(new CaseRandom(`${stem}-${seed}`), 0) }));

function agree(request: WireRequest) {
  const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
  const identity = (r: typeof ref) => JSON.stringify('error' in r ? r.error.code : r.outputs);
  if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 400)}\nimpl ${JSON.stringify(imp).slice(0, 400)}`);
  return ref;
}

describe('quantized linears: reference and impl agree bit for bit', () => {
  it('quantized_linear agrees on both torch engines, not vacuously', () => {
    const seen = new Map<string, number>();
    const bump = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    checkProperty(
      'quantized_linear agrees',
      requests(torchStaticLinearCase, 'linear-property'),
      (request) => {
        const ref = agree(request);
        bump('cases');
        if ('error' in ref) return;
        bump(`${String(request.attrs?.scheme)}/${String(request.attrs?.weight_quantization)}`);
        for (const v of (ref.outputs.y as { values: number[] }).values) bump(v === 0 || v === 255 ? 'bound' : 'inside');
      },
      400,
    );
    expect(seen.get('torch-qnnpack@1/per_tensor')).toBeGreaterThan(50);
    expect(seen.get('torch-qnnpack@1/per_channel')).toBeGreaterThan(50);
    expect(seen.get('torch-onednn@1/per_tensor')).toBeGreaterThan(50);
    expect(seen.get('torch-onednn@1/per_channel')).toBeGreaterThan(50);
    expect(seen.get('inside')! / (seen.get('inside')! + seen.get('bound')!)).toBeGreaterThan(0.3);
    expect(seen.get('bound')).toBeGreaterThan(100);
  });

  it('quantized_linear_dynamic agrees and reaches every ChooseQuantizationParams branch, not vacuously', () => {
    const seen = new Map<string, number>();
    const bump = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    checkProperty(
      'quantized_linear_dynamic agrees',
      requests(torchDrawnDynamicLinearCase, 'linear-dynamic-property'),
      (request) => {
        const ref = agree(request);
        bump('cases');
        if ('error' in ref) return;
        bump('outputs');
        bump(String(request.attrs?.scheme));
        const x = decodeTensor(request.inputs?.x, 'x').data as Float32Array;
        const { scale } = chooseQuantizationParams(Math.min(...x), Math.max(...x), 0, request.attrs?.scheme === 'torch-onednn@1' && request.attrs?.reduce_range ? 127 : 255);
        bump(scale === Math.fround(0.1) && x.every((v) => v === 0) ? 'scale_0.1' : scale === Math.fround(6.1e-5) ? 'small_scale_cut' : 'plain');
        if (request.attrs?.relu && (decodeTensor(ref.outputs.y, 'y').data as Float32Array).some((v) => v === 0)) bump('relu_zeroed');
      },
      600,
    );
    expect(seen.get('outputs')! / seen.get('cases')!).toBeGreaterThan(0.8);
    expect(seen.get('torch-qnnpack@1')).toBeGreaterThan(200);
    expect(seen.get('torch-onednn@1')).toBeGreaterThan(200);
    expect(seen.get('plain')).toBeGreaterThan(100);
    expect(seen.get('scale_0.1')).toBeGreaterThan(5);
    expect(seen.get('small_scale_cut')).toBeGreaterThan(5);
    expect(seen.get('relu_zeroed')).toBeGreaterThan(10);
  });

  it('the onednn gemm variants agree: sat16_pairs in oneDNN\'s K blocks (dynamic and static) and torch-onednn@2, each differing from int32_wrap / @1 somewhere', () => {
    const seen = new Map<string, number>();
    const bump = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    const id = (r: ReturnType<typeof evaluateRequest>) => JSON.stringify('error' in r ? r.error.code : r.outputs);
    checkProperty(
      'onednn gemm linears agree',
      fc.tuple(requests(torchOnednnGemmDynamicLinearCase, 'linear-gemm-property'), requests(torchOnednnStaticLinearCase, 'linear-gemm-static-property')),
      ([dynamic, fixed]) => {
        const sat = { ...dynamic, attrs: { ...dynamic.attrs, accumulator: 'sat16_pairs' } };
        const ref = agree(sat);
        const v2 = agree({ ...dynamic, attrs: { ...dynamic.attrs, scheme: 'torch-onednn@2' } });
        const satStatic = agree({ ...fixed, attrs: { ...fixed.attrs, accumulator: 'sat16_pairs' } });
        if ('error' in ref) return;
        bump('dynamic');
        const k = (dynamic.inputs?.x as { shape: number[] }).shape.at(-1) as number;
        if (!onednnGemmPairsAreGlobal(k)) bump('odd_block');
        if (id(ref) !== id(evaluateRequest(reference, dynamic))) bump('sat_differs');
        if (id(v2) !== id(evaluateRequest(reference, dynamic))) bump('v2_differs');
        if (!('error' in satStatic) && id(satStatic) !== id(evaluateRequest(reference, fixed))) bump('static_sat_differs');
      },
      150,
    );
    expect(seen.get('dynamic')).toBeGreaterThan(100);
    expect(seen.get('odd_block')).toBeGreaterThan(5);
    expect(seen.get('sat_differs')).toBeGreaterThan(10);
    expect(seen.get('v2_differs')).toBeGreaterThan(30);
    expect(seen.get('static_sat_differs')).toBeGreaterThan(30);
  });
});
