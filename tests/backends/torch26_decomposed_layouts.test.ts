/**
 * PT2E's quantized_decomposed ops (decomposed_*@1) where torch 2.6's _decomposed.py computes what qconform refused
 * (prober findings): a negative axis (quantize_per_channel / dequantize_per_channel index a Python list with it: -1 is
 * the last dim, below -dim an IndexError), per-channel parameters that broadcast against the input's axis dimension
 * (X == 1 takes every channel's parameters: the output is larger than the input; C == 1 applies one to all) or are
 * viewed from another shape ([C, 1]), and quant_min > quant_max (torch.clamp gives quant_max; _quant_min_max_bounds_check
 * lets quant_max fall below the dtype, and to(dtype) wraps it). Every implementation must give torch's answer bit for
 * bit, or its error code. The recorded answers run without torch; the live tests run real torch 2.6 (skipped, saying
 * why, without the chroot) and real torch 1.13, which has no quantized_decomposed ops at all (so @1 mirrors torch 2.x only).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { TORCH_PYTHON, runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { LAYOUT_SEED, RECORDED, layoutRequests } from '../support/decomposed_layout_requests.js';
import { torch13Available, torch13Skipped, torch26Available, torch26Responses, torch26Skipped } from '../support/live_torch.js';
import { expectTorchAnswers } from '../support/torch_wire_requests.js';

const IMPLEMENTATIONS = [['reference', reference], ['impl', impl]] as const;
const replay = (r: WireRequest) => `replay: echo '${JSON.stringify(r)}' | npx qconform eval --backend reference`;

/** A wire answer in the recorded form: the error code, or the output's shape and values / float32 bits. */
function recordedForm(a: WireResponse): unknown {
  if ('error' in a) return { error: a.error.code };
  const [t] = Object.values(a.outputs) as Array<{ shape: number[]; values?: number[]; hex?: string[] }>;
  return t!.values ? { shape: t!.shape, values: t!.values } : { shape: t!.shape, hex: t!.hex };
}

describe('quantized_decomposed: negative axes, broadcast parameters, quant_min > quant_max, as torch 2.6 computes them', () => {
  for (const [name, ops] of IMPLEMENTATIONS) {
    it(`[${name}] gives torch 2.6.0's recorded answers`, () => {
      for (const { request, torch } of RECORDED) expect(recordedForm(evaluateRequest(ops, request)), `${request.id} on ${name} (${replay(request)})`).toEqual(torch);
    });
  }

  it.skipIf(!torch26Available())(`the recorded answers are torch 2.6's, and a seeded batch agrees bit for bit (seed ${LAYOUT_SEED})${torch26Skipped()}`, { timeout: 600_000 }, async () => {
    const fixed = RECORDED.map((c) => c.request);
    const batch = layoutRequests();
    const torch = await torch26Responses([...fixed, ...batch]);
    for (const [i, { request, torch: want }] of RECORDED.entries()) expect(recordedForm(torch[i]!), `${request.id}: torch 2.6 now answers otherwise (${replay(request)})`).toEqual(want);
    expectTorchAnswers(batch, torch.slice(fixed.length), IMPLEMENTATIONS, `torch 2.6 in its chroot, seed ${LAYOUT_SEED}`);
    // non-vacuity: the batch holds computed negative axes, broadcasts that change the shape, and inverted ranges
    const answered = batch.flatMap((r, i) => {
      const a = torch[fixed.length + i]!;
      return 'outputs' in a ? [{ r, shape: (Object.values(a.outputs)[0] as { shape: number[] }).shape }] : [];
    });
    const inputShape = (r: WireRequest) => ((r.inputs!['x'] ?? r.inputs!['q']) as { shape: number[] }).shape;
    expect(answered.filter(({ r }) => Number(r.attrs!['axis']) < 0).length).toBeGreaterThanOrEqual(10);
    expect(answered.filter(({ r, shape }) => JSON.stringify(shape) !== JSON.stringify(inputShape(r))).length).toBeGreaterThanOrEqual(5);
    expect(answered.filter(({ r }) => Number(r.attrs!['quant_min']) > Number(r.attrs!['quant_max'])).length).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(!torch13Available())(`torch 1.13 has no quantized_decomposed ops: the adapter answers unknown_op and the module does not exist${torch13Skipped()}`, { timeout: 120_000 }, async () => {
    const { handshake, responses } = await runThroughTorch(RECORDED.map((c) => c.request));
    expect(handshake.version).toMatch(/^1\.13/);
    for (const a of responses) expect('error' in a ? a.error.code : 'outputs').toBe('unknown_op');
    const probe = 'import torch\ntry:\n    from torch.ao.quantization.fx import _decomposed\n    print("present")\nexcept ImportError:\n    print("absent", hasattr(torch.ops.quantized_decomposed, "quantize_per_channel"))';
    expect(execFileSync(TORCH_PYTHON, ['-c', probe], { encoding: 'utf8' }).trim()).toBe('absent False');
  });
});
