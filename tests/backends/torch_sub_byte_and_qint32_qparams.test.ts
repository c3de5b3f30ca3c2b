/**
 * Two dtype rules of torch 1.13.0 (Debian python3-torch), measured through the torch adapter and a plain torch process:
 *  - quantize_per_tensor@1 / dequantize_per_tensor@1 with quint4x2 take a zero point in uint8's [0, 255]
 *    (AffineQuantizer.cpp checkZeroPoint<underlying_t>; the sub-byte kernel clamps each value to [0, 15]): every
 *    implementation gives torch's outputs for 16, 100 and 255 and refuses 256 and -1 as torch does (qconform refused
 *    every zero point above 15);
 *  - quantize / dequantize_per_channel_float_qparams@1 with qint32 kill torch with SIGILL (8 / bit_width is 0 in the
 *    per-channel float-qparams kernels of QuantizedOpKernels.cpp), so qconform refuses qint32 there (invalid_dtype);
 *    it used to return values torch never gives.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TORCH_PYTHON, runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { expectTorchAnswers, f32, ints } from '../support/torch_wire_requests.js';

const X = [-2, -1.55, -1.6, 0, 0.3, 1, 0.05, -0.05, 1.45, 1.55];
const ZERO_POINTS = [0, 15, 16, 100, 255, 256, -1];

function quint4x2Requests(): WireRequest[] {
  return ZERO_POINTS.flatMap((zp) => [
    { id: `q-quint4x2-zp${zp}`, op: 'quantize_per_tensor@1', attrs: { scale: f64ToHex(0.1), zero_point: zp, dtype: 'quint4x2' }, inputs: { x: f32([X.length], X) } } as WireRequest,
    { id: `dq-quint4x2-zp${zp}`, op: 'dequantize_per_tensor@1', attrs: { scale: f64ToHex(0.1), zero_point: zp }, inputs: { q: ints('quint4x2', [6], [0, 1, 7, 8, 14, 15]) } } as WireRequest,
  ]);
}

describe('quint4x2 zero points and qint32 float qparams, as torch 1.13 takes them', () => {
  it('quint4x2 per tensor: zero points in [0, 255] give torch\'s outputs, others its refusal', { timeout: 300_000 }, async () => {
    const q = quint4x2Requests();
    const { responses } = await runThroughTorch(q);
    expectTorchAnswers(q, responses, IMPLEMENTATIONS, 'torch 1.13 via runThroughTorch');
    // not vacuous: torch computed the zero points 16, 100 and 255 (outside [0, 15]) and refused only 256 and -1
    const computed = q.filter((r, i) => 'outputs' in responses[i]! && (r.attrs!['zero_point'] as number) > 15).length;
    expect(computed).toBe(6);
    expect(responses.filter((r) => 'error' in r).map((r) => ('error' in r ? r.error.code : ''))).toEqual(Array(4).fill('zero_point_out_of_range'));
  });

  it('qint32 with float qparams: torch dies of SIGILL, every implementation refuses it', { timeout: 120_000 }, () => {
    const script = [
      'import torch',
      'x = torch.tensor([[0.1, -0.3], [5.5, -2.2]])',
      'torch.quantize_per_channel(x, torch.tensor([0.1, 0.5]), torch.tensor([3.3, 7.5]), 0, torch.qint32)',
      'print("computed")',
    ].join('\n');
    const torch = spawnSync(TORCH_PYTHON, ['-c', script], { encoding: 'utf8', timeout: 100_000 });
    expect(torch.signal, `torch 1.13 on qint32 float qparams: status ${torch.status}, stderr ${torch.stderr}`).toBe('SIGILL');
    const requests: WireRequest[] = [
      { id: 'q-qint32', op: 'quantize_per_channel_float_qparams@1', attrs: { axis: 0, dtype: 'qint32' }, inputs: { x: f32([2, 2], [0.1, -0.3, 5.5, -2.2]), scales: f32([2], [0.1, 0.5]), zero_points: f32([2], [3.3, 7.5]) } } as WireRequest,
      { id: 'dq-qint32', op: 'dequantize_per_channel_float_qparams@1', attrs: { axis: 0 }, inputs: { q: ints('qint32', [2, 2], [0, 1, 2, 15]), scales: f32([2], [0.1, 0.5]), zero_points: f32([2], [3.3, 7.5]) } } as WireRequest,
    ];
    for (const [name, ops] of IMPLEMENTATIONS) {
      for (const r of requests) {
        const got = evaluateRequest(ops, r);
        expect('error' in got && got.error.code, `${name} ${r.id}`).toBe('invalid_dtype');
      }
    }
  });
});
