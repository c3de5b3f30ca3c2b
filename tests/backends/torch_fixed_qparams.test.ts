/**
 * FixedQParamsObserver with a zero point outside its quant range or its dtype, on real torch 1.13.0 (Debian
 * python3-torch) through the torch adapter. torch validates nothing (observer.py FixedQParamsObserver.__init__):
 * forward is the identity and calculate_qparams returns the zero point as it was given, in an int32 buffer, so one
 * outside int32 raises ("value cannot be converted to type int32 without overflow", zero_point_out_of_range).
 * FixedQParamsFakeQuantize returns the same qparams (its forward fake-quantizes with them through the tensor-qparams
 * fake_quantize_per_tensor_affine, which checks no zero point: measured by hand, not an op of the contract).
 * qconform refused every zero point outside [quant_min, quant_max]. A quant_min above quant_max is kept as given too
 * (FixedQParamsObserver.__init__ stores both, nothing reads them): torch returns the fixed qparams, where qconform
 * raised quant_range_outside_dtype. Every implementation must give torch's answer.
 */
import { describe, expect, it } from 'vitest';
import { runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import { f64ToHex } from '../../contract/wire.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { f32, expectTorchAnswers } from '../support/torch_wire_requests.js';

/** dtype and quant range as the observer takes them (a custom range inside the dtype, and each dtype's own). */
const RANGES = [
  ['quint8', 0, 255],
  ['quint8', 0, 127],
  ['qint8', -128, 127],
  ['qint32', -(2 ** 31), 2 ** 31 - 1],
  ['quint4x2', 0, 15],
] as const;
const ZERO_POINTS = [-1, 16, 128, 256, 300, -129, 1000, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 40];

function requests(): WireRequest[] {
  return RANGES.flatMap(([dtype, lo, hi]) =>
    ZERO_POINTS.map(
      (zp) =>
        ({
          id: `fixed-${dtype}-${lo}-${hi}-zp${zp}`,
          op: 'fixed_qparams_observer@1',
          attrs: { scale: f64ToHex(0.1), zero_point: zp, dtype, qscheme: 'per_tensor_affine', quant_min: lo, quant_max: hi },
          inputs: { batches: [f32([3], [1, NaN, -Infinity])] },
        }) as WireRequest,
    ),
  );
}

describe('FixedQParamsObserver zero points, as torch 1.13 keeps them', () => {
  it('every implementation returns the zero point torch returns, and refuses the ones outside int32 as torch does', { timeout: 300_000 }, async () => {
    const q = requests();
    const { responses } = await runThroughTorch(q);
    expectTorchAnswers(q, responses, IMPLEMENTATIONS, 'torch 1.13 via runThroughTorch');
    // not vacuous: zero points outside [quant_min, quant_max] came back as given; only those outside int32 were refused
    const returned = q.filter((r, i) => {
      const a = responses[i]!;
      const zp = r.attrs!['zero_point'] as number;
      return 'outputs' in a && (zp < (r.attrs!['quant_min'] as number) || zp > (r.attrs!['quant_max'] as number)) && JSON.stringify(a.outputs['zero_point']) === JSON.stringify({ dtype: 'int32', shape: [1], values: [zp] });
    });
    expect(returned.length).toBe(31);
    const refused = responses.filter((a) => 'error' in a).map((a) => ('error' in a ? a.error.code : ''));
    expect(refused).toEqual(Array(RANGES.length * 3).fill('zero_point_out_of_range'));
  });
});

/** quant_min > quant_max, in and beyond each dtype's range, with every qscheme: [dtype, qscheme, quant_min, quant_max]. */
const INVERTED_RANGES = [
  ['quint8', 'per_tensor_affine', 255, 0],
  ['quint8', 'per_tensor_affine', 300, -300],
  ['quint8', 'per_tensor_symmetric', 1, 0],
  ['qint8', 'per_tensor_symmetric', 10, -10],
  ['qint8', 'per_channel_affine', 127, -128],
  ['qint32', 'per_channel_symmetric', 2 ** 31 - 1, -(2 ** 31)],
  ['quint4x2', 'per_channel_affine_float_qparams', 15, 0],
] as const;

describe('FixedQParamsObserver with quant_min > quant_max, as torch 1.13 keeps it', () => {
  it('every implementation returns the fixed qparams torch returns', { timeout: 300_000 }, async () => {
    const q = INVERTED_RANGES.flatMap(([dtype, qscheme, lo, hi]) =>
      [0, 7, -3].map(
        (zp) =>
          ({
            id: `fixed-inverted-${dtype}-${qscheme}-${lo}-${hi}-zp${zp}`,
            op: 'fixed_qparams_observer@1',
            attrs: { scale: f64ToHex(1 / 3), zero_point: zp, dtype, qscheme, quant_min: lo, quant_max: hi },
            inputs: { batches: [f32([3], [1, NaN, -Infinity]), f32([2, 2], [0.5, -7, 1e30, -0])] },
          }) as WireRequest,
      ),
    );
    const { responses } = await runThroughTorch(q);
    expectTorchAnswers(q, responses, IMPLEMENTATIONS, 'torch 1.13 via runThroughTorch');
    // not vacuous: torch returned the given qparams for every inverted range
    const returned = q.filter((r, i) => {
      const a = responses[i]!;
      return 'outputs' in a && JSON.stringify(a.outputs['zero_point']) === JSON.stringify({ dtype: 'int32', shape: [1], values: [r.attrs!['zero_point']] });
    });
    expect(returned.length).toBe(q.length);
  });
});
