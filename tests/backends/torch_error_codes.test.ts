/**
 * torch refusals that the torch adapter (conformance/backends/torch/python/errors.py) reported as backend_error,
 * each now given the code qconform's own contract check gives for the same input, so a conformance run compares
 * like with like. Live through torch 1.13.0 (Debian python3-torch):
 *   - qnnpack's "requantization scale must be finite and positive" (one message for every multiplier that is not a
 *     normal positive float32): scale_not_finite / scale_not_positive for the first scale qconform refuses, in its
 *     order of checks (x_scale, y_scale, weight_scales), a dynamic linear's x first (nan_observed,
 *     non_finite_observed), else unsupported_by_scheme (usable scales whose product overflows or underflows);
 *   - "In ChooseQuantizationParams, min should be less than or equal to max" (a dynamic linear's x holding a NaN):
 *     the code of x's first element that is not finite;
 *   - '"quantize_tensor_per_channel_affine" not implemented for 'QUInt4x2'' and its dequantize twin: invalid_dtype;
 *   - "Trying to create tensor with negative dimension" (a conv's negative output size on onednn): empty_output.
 * Each case names torch's message, so a code that matches by another route does not pass.
 */
import { describe, expect, it } from 'vitest';
import { runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { convRequest, describeAnswer, dynamicLinearRequest, expectTorchAnswers, f32, f64, ints, linearRequest } from '../support/torch_wire_requests.js';

const REQUANT = /requantization scale must be finite and positive/;
const CHOOSE = /In ChooseQuantizationParams, min should be less than or equal to max/;
const QUINT4X2 = /not implemented for 'QUInt4x2'/;
const NEGATIVE = /Trying to create tensor with negative dimension/;

const qnnpack = 'torch-qnnpack@1';
const conv = (x: number, w: number, y: number) => convRequest(`conv-${x}-${w}-${y}`, { scheme: qnnpack, x: [1, 4, 3, 3], weight: [2, 4, 1, 1], perChannel: true, scales: [x, w, y] });
const perChannel = (op: 'quantize_per_channel@1' | 'dequantize_per_channel@1'): WireRequest =>
  ({
    id: op,
    op,
    attrs: op === 'quantize_per_channel@1' ? { axis: 0, dtype: 'quint4x2' } : { axis: 0 },
    inputs: {
      ...(op === 'quantize_per_channel@1' ? { x: f32([2], [1, 2]) } : { q: ints('quint4x2', [2], [1, 2]) }),
      scales: f64([2], [0.5, 0.25]),
      zero_points: ints('int64', [2], [1, 2]),
    },
  }) as WireRequest;

/** [request, torch's message, the code both must give] */
const CASES: ReadonlyArray<readonly [WireRequest, RegExp, string]> = [
  [conv(1e30, 1e30, 1e-30), REQUANT, 'unsupported_by_scheme'],
  [conv(1e-30, 1e-30, 1e30), REQUANT, 'unsupported_by_scheme'],
  [conv(1e-20, 1e-20, 1), REQUANT, 'unsupported_by_scheme'],
  [conv(Infinity, 0.1, 0.1), REQUANT, 'scale_not_finite'],
  [conv(NaN, 0.1, 0.1), REQUANT, 'scale_not_finite'],
  [conv(0.1, 0.1, Infinity), REQUANT, 'scale_not_finite'],
  [conv(0.1, 0.1, 0), REQUANT, 'scale_not_positive'],
  [conv(-0.1, 0.1, 0.1), REQUANT, 'scale_not_positive'],
  [conv(-0.1, 0.1, Infinity), REQUANT, 'scale_not_positive'], // x_scale is checked first
  [conv(0.1, Infinity, -1), REQUANT, 'scale_not_positive'], // y_scale before the weight scales
  [conv(0.1, NaN, 0.1), REQUANT, 'scale_not_finite'],
  [conv(0.1, 0, 0.1), REQUANT, 'scale_not_positive'],
  [linearRequest('linear-overflow', { scheme: qnnpack, x: [2, 4], n: 3, scales: [1e30, 1e30, 1e-30] }), REQUANT, 'unsupported_by_scheme'],
  [linearRequest('linear-inf-weight-scale', { scheme: qnnpack, x: [2, 4], n: 3, scales: [0.1, Infinity, 0.1] }), REQUANT, 'scale_not_finite'],
  [dynamicLinearRequest('dynamic-inf-x', { scheme: qnnpack, x: [2, 2], values: [1, Infinity, 2, 3], n: 3 }), REQUANT, 'non_finite_observed'],
  [dynamicLinearRequest('dynamic-tiny-weight-scale', { scheme: qnnpack, x: [2, 2], n: 3, weightScale: 1e-40 }), REQUANT, 'unsupported_by_scheme'],
  [dynamicLinearRequest('dynamic-zero-weight-scale', { scheme: qnnpack, x: [2, 2], n: 3, weightScale: 0 }), REQUANT, 'scale_not_positive'],
  [dynamicLinearRequest('dynamic-nan-x-qnnpack', { scheme: qnnpack, x: [2, 2], values: [1, NaN, 2, 3], n: 3 }), CHOOSE, 'nan_observed'],
  [dynamicLinearRequest('dynamic-nan-x-onednn', { scheme: 'torch-onednn@1', x: [2, 2], values: [NaN, NaN, NaN, NaN], n: 3 }), CHOOSE, 'nan_observed'],
  [dynamicLinearRequest('dynamic-inf-then-nan-x', { scheme: 'torch-onednn@1', x: [2, 2], values: [-Infinity, NaN, 2, 3], n: 3 }), CHOOSE, 'nan_observed'], // onednn's order checks NaNs alone, before any infinity (linear_checks.ts onednnDynamicOrder)
  [perChannel('quantize_per_channel@1'), QUINT4X2, 'invalid_dtype'],
  [perChannel('dequantize_per_channel@1'), QUINT4X2, 'invalid_dtype'],
  [convRequest('onednn-negative-size', { scheme: 'torch-onednn@1', x: [1, 4, 1, 1], weight: [2, 4, 5, 5] }), NEGATIVE, 'empty_output'],
];

describe("torch's refusals, with the code qconform's contract gives for the same input", () => {
  it('torch 1.13 raises each message and the adapter gives the contract\'s code', { timeout: 300_000 }, async () => {
    const requests = CASES.map(([q], i) => ({ ...q, id: `${q.id}-${i}` }));
    const { responses } = await runThroughTorch(requests);
    for (const [i, [, message, code]] of CASES.entries()) {
      const r = responses[i]!;
      const where = `${requests[i]!.id}: ${describeAnswer(r)} (replay: echo '${JSON.stringify(requests[i])}' | /usr/bin/python3 conformance/backends/torch/python/qconform_torch.py)`;
      expect('error' in r ? r.error.message : '', where).toMatch(message);
      expect('error' in r ? r.error.code : '', where).toBe(code);
    }
    expectTorchAnswers(requests, responses, IMPLEMENTATIONS, 'torch 1.13 via runThroughTorch');
  });
});
