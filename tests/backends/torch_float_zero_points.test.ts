/**
 * NaN and infinite float zero points on real torch 1.13.0 (Debian python3-torch): the ops that take float zero points,
 * quantize_per_channel_float_qparams@1 and dequantize_per_channel_float_qparams@1 (per_channel_affine_float_qparams),
 * through the torch adapter. torch checks no zero point and computes deterministically: quantize_val_float_qparams
 * takes lrintf of a NaN or infinite sum, INT64_MIN, stored in an int as 0, then clamped, so every element of such a
 * channel is clamp(0); the dequantization (q - zp) * scale gives the zero point's NaN quieted (x86 propagates the NaN
 * operand), -zp's infinity times the scale, or the default NaN 0xffc00000 for inf * 0. qconform refused them
 * (zero_point_out_of_range, "float zero points must be finite"). Every implementation must give torch's outputs bit
 * for bit, NaN payloads included; channels of finite zero points sit beside them, and x holds NaN and infinities too.
 */
import { describe, expect, it } from 'vitest';
import { runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { f32, f32Bits, ints, walk, expectTorchAnswers } from '../support/torch_wire_requests.js';

/** Zero points that are not finite, by their bits: quiet NaNs of both signs, a signaling NaN, NaN payloads, infinities. */
const ZERO_POINTS: ReadonlyArray<readonly [string, number]> = [
  ['qnan', 0x7fc00000],
  ['-qnan', 0xffc00000],
  ['snan', 0x7f800001],
  ['nan-payload', 0x7fc12345],
  ['-nan-payload', 0xffc54321],
  ['+inf', 0x7f800000],
  ['-inf', 0xff800000],
];
const F32_BITS = new DataView(new ArrayBuffer(4));
const bitsOf = (v: number) => (F32_BITS.setFloat32(0, v), F32_BITS.getUint32(0));
/** x's values: finite ones of both signs and sizes, -0, the infinities and NaN, repeated along a long channel. */
const X_VALUES = [1, -2.5, 0, -0, 300, 1e30, -1e-30, Infinity, -Infinity, NaN, 0.75, 7];
/** Channel c's zero point: the non-finite one under test in channels 1 and 3, finite ones elsewhere. */
const zeroPointBits = (bad: number, channels: number) => Array.from({ length: channels }, (_, c) => (c % 2 === 1 ? bad : bitsOf(c * 17.25 - 3)));
/** Channel scales: 0 in channel 3 (the kernels then take 1/scale as 1; dequantization multiplies by 0). */
const scales = (channels: number) => Array.from({ length: channels }, (_, c) => (c === 3 ? 0 : 0.05 * (c + 1)));

function requests(): WireRequest[] {
  const out: WireRequest[] = [];
  const channels = 4;
  const run = 40; // long per-channel runs: any vectorized loop of the kernels runs as well as its tail
  for (const [name, bits] of ZERO_POINTS) {
    for (const axis of [0, 1]) {
      const shape = axis === 0 ? [channels, run] : [run, channels];
      const n = channels * run;
      for (const dtype of ['quint8', 'qint8', 'quint4x2']) {
        out.push({
          id: `quantize-${name}-axis${axis}-${dtype}`,
          op: 'quantize_per_channel_float_qparams@1',
          attrs: { axis, dtype },
          inputs: { x: f32(shape, Array.from({ length: n }, (_, i) => X_VALUES[i % X_VALUES.length]!)), scales: f32([channels], scales(channels)), zero_points: f32Bits([channels], zeroPointBits(bits, channels)) },
        } as WireRequest);
      }
      for (const dtype of ['quint8', 'qint8']) {
        const [lo, hi] = dtype === 'quint8' ? [0, 255] : [-128, 127];
        out.push({
          id: `dequantize-${name}-axis${axis}-${dtype}`,
          op: 'dequantize_per_channel_float_qparams@1',
          attrs: { axis },
          inputs: { q: ints(dtype, shape, walk(n, lo, hi)), scales: f32([channels], scales(channels)), zero_points: f32Bits([channels], zeroPointBits(bits, channels)) },
        } as WireRequest);
      }
    }
  }
  return out;
}

const hexOf = (r: WireResponse) => ('outputs' in r ? ((r.outputs as Record<string, { hex?: string[]; values?: number[] }>)['x']?.hex ?? []) : []);

describe('non-finite float zero points, as torch 1.13 computes them', () => {
  it('quantize and dequantize with float qparams: every implementation gives torch\'s outputs bit for bit', { timeout: 300_000 }, async () => {
    const q = requests();
    const { responses } = await runThroughTorch(q);
    expectTorchAnswers(q, responses, IMPLEMENTATIONS, 'torch 1.13 via runThroughTorch');
    // not vacuous: torch answered every one, and the outputs show each zero point's NaN (quieted), the infinities and
    // the default NaN of inf * 0
    expect(responses.filter((r) => 'error' in r)).toEqual([]);
    const dequantized = new Set(responses.flatMap(hexOf));
    for (const bits of ['7fc00000', 'ffc00000', '7fc00001', '7fc12345', 'ffc54321', '7f800000', 'ff800000']) expect(dequantized, bits).toContain(bits);
  });
});
