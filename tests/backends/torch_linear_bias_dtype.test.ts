/**
 * A static or dynamic quantized linear whose bias is neither float32 nor int32 (float64, int8): malformed on the wire
 * (conformance/protocol/linear_dispatch.ts bias()), and the torch adapter (linear_ops.py _bias) answers it so too, on
 * both engines of torch 1.13.0 and 2.6. Before, the adapter refused a static one unsupported_by_scheme ('torch takes a
 * float32 bias'), and `qconform run` reported a disagreement. Fixed grid; failures print a replay line.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { torch13Responses, torch13Skipped, torch13Available, torch26Available, torch26Responses, torch26Skipped } from '../support/live_torch.js';
import { tableRequest } from '../support/torch_linear_table.js';

const FILE = 'tests/backends/torch_linear_bias_dtype.test.ts';
const BIASES: Readonly<Record<string, unknown>> = {
  float64: { dtype: 'float64', shape: [3], hex: ['3ff0000000000000', '0000000000000000', 'bff0000000000000'] },
  int8: { dtype: 'int8', shape: [3], values: [1, 2, 3] },
};

function requests(onednn: string): WireRequest[] {
  const out: WireRequest[] = [];
  for (const op of ['quantized_linear@1', 'quantized_linear_dynamic@1'] as const) {
    for (const scheme of ['torch-qnnpack@1', onednn]) {
      for (const [dtype, bias] of Object.entries(BIASES)) {
        const q = tableRequest(`${op}-${scheme}-bias-${dtype}`, op, scheme, { x: [2, 5], w: [3, 5] });
        out.push({ ...q, inputs: { ...(q.inputs as Record<string, unknown>), bias } } as WireRequest);
      }
    }
  }
  return out;
}

function check(q: readonly WireRequest[], torch: readonly WireResponse[], who: string): void {
  expect(torch.length).toBe(q.length);
  q.forEach((r, k) => {
    const replay = `${r.id} on ${who} (replay: npx vitest run ${FILE}; echo '${JSON.stringify(r)}' | npx qconform eval --backend reference)`;
    for (const [name, ops] of IMPLEMENTATIONS) {
      const got = evaluateRequest(ops, r);
      expect('error' in got ? got.error.code : 'outputs', `${replay}: ${name}`).toBe('malformed_request');
    }
    const t = torch[k]!;
    expect('error' in t ? t.error.code : 'outputs', replay).toBe('malformed_request');
  });
}

describe('a linear bias neither float32 nor int32 is malformed on reference, impl and the torch adapter', () => {
  it.skipIf(!torch13Available())(`torch 1.13.0 (qnnpack, onednn)${torch13Skipped()}`, { timeout: 300_000 }, async () => {
    const q = requests('torch-onednn@1');
    check(q, await torch13Responses(q), 'torch 1.13');
  });

  it.skipIf(!torch26Available())(`torch 2.6 (qnnpack, onednn)${torch26Skipped()}`, { timeout: 600_000 }, async () => {
    const q = requests('torch-onednn@2');
    check(q, await torch26Responses(q), 'torch 2.6 in its chroot');
  });
});
