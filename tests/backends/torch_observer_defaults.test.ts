/**
 * An observer attribute absent or null ("not given", docs/protocol.md) takes torch's constructor default, measured on
 * real torch 1.13.0 (/usr/bin/python3, the @1 ops) and torch 2.6.0 (the chroot of npm run setup:torch26, the @2 ops and
 * fixed_qparams_observer@1 / placeholder_observer@1) through the torch adapter, which leaves such an attribute out of
 * the constructor call: dtype quint8, qscheme per_tensor_affine (per_channel_affine for the per-channel observers),
 * reduce_range false, eps finfo(float32).eps, averaging_constant 0.01, ch_axis 0, FixedQParamsObserver's quant_min 0
 * and quant_max 255, PlaceholderObserver's dtype float32 (any float dtype: calculate_qparams raises). qconform answered
 * malformed_request for an absent or null dtype, qscheme, ch_axis or fixed quant range, and for a null eps or
 * averaging_constant. Each row: torch's answer must be its answer with the default written out, and every
 * implementation must give it. A mistyped attribute stays malformed_request, its message saying what was expected.
 * Fixed rows, no randomness. Skipped, saying why, without torch 1.13 or the chroot.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { torch13Available, torch13Responses, torch13Skipped, torch26Available, torch26Responses, torch26Skipped } from '../support/live_torch.js';
import { describeAnswer, expectTorchAnswers, f32 } from '../support/torch_wire_requests.js';

const BATCHES = { batches: [f32([2, 3], [-1, 2, 0.5, 3, -0.25, 1.5]), f32([2, 3], [0.75, -2, 1, 4, 0, -0.5])] };
const STATE = { min_val: f32([], [-1]), max_val: f32([], [2]) };
const QPARAMS = { dtype: 'quint8', qscheme: 'per_tensor_affine', reduce_range: false, quant_min: null, quant_max: null, eps: f64ToHex(2 ** -23) };
const PER_CHANNEL = { ...QPARAMS, qscheme: 'per_channel_affine', ch_axis: 0 };
const AVERAGING = { averaging_constant: f64ToHex(0.01) };

/** [op, the attrs with every default written out, the inputs, the defaulted attrs to leave out]. */
function ops(v: 1 | 2): ReadonlyArray<readonly [string, Record<string, unknown>, Record<string, unknown>]> {
  const rows: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [`calculate_qmin_qmax@${v}`, { dtype: 'quint8', reduce_range: false, quant_min: null, quant_max: null }, {}],
    [`calculate_qparams@${v}`, QPARAMS, STATE],
    [`min_max_observer@${v}`, QPARAMS, BATCHES],
    [`moving_average_min_max_observer@${v}`, { ...QPARAMS, ...AVERAGING }, BATCHES],
    [`per_channel_min_max_observer@${v}`, PER_CHANNEL, BATCHES],
    [`moving_average_per_channel_min_max_observer@${v}`, { ...PER_CHANNEL, ...AVERAGING }, BATCHES],
    [`histogram_observer@${v}`, { ...QPARAMS, bins: 4, ...(v === 1 ? { upsample_rate: 128 } : {}) }, BATCHES],
    ['fixed_qparams_observer@1', { scale: f64ToHex(1 / 256), zero_point: 3, dtype: 'quint8', qscheme: 'per_tensor_affine', quant_min: 0, quant_max: 255 }, BATCHES],
    ['placeholder_observer@1', { dtype: 'float32' }, BATCHES],
  ];
  return rows;
}
/** Attributes with no torch default (fixed_qparams' scale and zero_point), and the histogram's bins (kept small). */
const REQUIRED = new Set(['scale', 'zero_point', 'bins']);

function requests(v: 1 | 2): { rows: WireRequest[]; defaults: WireRequest[] } {
  const rows: WireRequest[] = [];
  const defaults: WireRequest[] = [];
  for (const [op, attrs, inputs] of ops(v)) {
    const base = { id: `${op}-explicit`, op, attrs, inputs } as WireRequest;
    for (const name of Object.keys(attrs).filter((n) => !REQUIRED.has(n))) {
      const { [name]: _left, ...rest } = attrs;
      rows.push({ id: `${op}-no-${name}`, op, attrs: rest, inputs } as WireRequest, { id: `${op}-null-${name}`, op, attrs: { ...attrs, [name]: null }, inputs } as WireRequest);
      defaults.push(base, base);
    }
    const given = Object.fromEntries(Object.entries(attrs).filter(([n]) => REQUIRED.has(n)));
    rows.push({ id: `${op}-none`, op, attrs: given, inputs } as WireRequest);
    defaults.push(base);
  }
  rows.push({ id: 'placeholder-float16', op: 'placeholder_observer@1', attrs: { dtype: 'float16' }, inputs: BATCHES } as WireRequest);
  defaults.push({ id: 'placeholder-explicit', op: 'placeholder_observer@1', attrs: { dtype: 'float32' }, inputs: BATCHES } as WireRequest);
  return { rows, defaults };
}

const answer = (r: WireResponse) => ('error' in r ? r.error.code : JSON.stringify(r.outputs));

async function check(v: 1 | 2, run: (q: readonly WireRequest[]) => Promise<WireResponse[]>, label: string): Promise<void> {
  const { rows, defaults } = requests(v);
  const torch = await run([...rows, ...defaults]);
  const got = torch.slice(0, rows.length);
  const want = torch.slice(rows.length);
  // torch's defaults: each row answered as the row with the default written out (the adapter leaves a null one out)
  for (const [i, r] of rows.entries()) expect(answer(got[i]!), `${r.id}: ${label} gave ${describeAnswer(got[i]!)}, with the default ${describeAnswer(want[i]!)}`).toBe(answer(want[i]!));
  expectTorchAnswers(rows, got, IMPLEMENTATIONS, label);
  expect(got.filter((a) => 'outputs' in a).length).toBeGreaterThanOrEqual(40);
}

describe('observer attributes not given take torch\'s defaults', () => {
  it.skipIf(!torch13Available())(`@1 ops on torch 1.13${torch13Skipped()}`, { timeout: 300_000 }, async () => {
    await check(1, torch13Responses, 'torch 1.13');
  });

  it.skipIf(!torch26Available())(`@2 ops on torch 2.6${torch26Skipped()}`, { timeout: 300_000 }, async () => {
    await check(2, torch26Responses, 'torch 2.6 in its chroot');
  });

  it('a mistyped attribute is malformed_request saying what was expected', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...QPARAMS, dtype: 3 }, /attrs\.dtype: .*; got 3 \(expected a string\)/],
      [{ ...QPARAMS, reduce_range: 'no' }, /attrs\.reduce_range: .*; got "no" \(expected a boolean\)/],
      [{ ...QPARAMS, quant_min: 0.5, quant_max: 255 }, /attrs\.quant_min: .*; got 0\.5 \(expected an integer\)/],
    ];
    for (const [attrs, message] of cases) {
      const r = { id: 'typed', op: 'min_max_observer@1', attrs, inputs: BATCHES } as WireRequest;
      for (const [name, ops] of IMPLEMENTATIONS) {
        const a = evaluateRequest(ops, r);
        expect('error' in a && a.error.code, name).toBe('malformed_request');
        expect('error' in a ? a.error.message : '', name).toMatch(message);
      }
    }
  });
});
