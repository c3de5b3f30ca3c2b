/**
 * gather_block_quantized@1 (com.microsoft GatherBlockQuantized): the exact reference and the fast impl give the same
 * bits (or the same typed error) on the vector generator's cases (seeds drawn by fast-check, pinned); and each output
 * element equals DequantizeLinear's element f32(f32(q - zp) * s) of the data element the gather picks, found here by
 * walking the output's multi-index (independently of the contract's flat index arithmetic). Not vacuous: counters
 * show every data type and bits, partial last blocks, scalar and negative and repeated indices, equal gather and
 * quantize axes, default and given zero points, outputs whose float32 product rounds, and typed refusals. With float16
 * scales the output is float16: the float32 product is then exact (9 x 11 bits) and rounded once to float16, nearest
 * even, checked against an independent rounding with counters of inexact, tied, subnormal and overflowing elements.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherBlockQuantizedCase } from '../../conformance/cases/gather_block_quantized_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { Attrs, Inputs, type WireRequest } from '../../conformance/protocol/messages.js';
import { decodeGatherBlockQuantized } from '../../conformance/protocol/onnx_qops_dispatch.js';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import { decodeTensor } from '../../contract/wire.js';
import { float16FromBits } from '../../contract/float_bits.js';
import { checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 300;
const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...gatherBlockQuantizedCase(new CaseRandom(`gbq/${seed}`), 0) }));

/** Strides of a row-major shape. */
const strides = (shape: readonly number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));

/** float16 rounding of an exact double, nearest even (independent of contract/float_bits.ts): the value and how it rounded. */
function roundHalf(v: number): { value: number; inexact: boolean; tie: boolean; subnormal: boolean } {
  const a = Math.abs(v);
  let e = Math.floor(Math.log2(a || 1));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const quantum = 2 ** (Math.max(e, -14) - 10);
  const m = a / quantum; // exact: a power-of-2 scaling
  const floor = Math.floor(m);
  const frac = m - floor;
  const n = frac > 0.5 || (frac === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  const r = n * quantum >= 65520 ? Number.POSITIVE_INFINITY : n * quantum;
  return { value: Math.sign(v) * r || (v < 0 || Object.is(v, -0) ? -0 : 0), inexact: frac !== 0, tie: frac === 0.5, subnormal: r > 0 && r < 2 ** -14 };
}

/** The expected output by multi-indices: out[pre, idx..., post] = dequantized data[pre, indices[idx...], post]. */
function byMultiIndex(a: GatherBlockQuantizedArgs): { values: number[]; rounded: number; half: { inexact: number; ties: number; subnormal: number; infinite: number } } {
  const rank = a.data.shape.length;
  const comp = a.data.dtype === 'uint8' ? 8 / a.bits : 1;
  const logical = a.data.shape.map((d, i) => (i === rank - 1 ? d * comp : d));
  const g = (a.gatherAxis + rank) % rank;
  const q = (a.quantizeAxis + rank) % rank;
  const element = (flat: number, packed: ArrayLike<number>, perByte: number, bits: number) => (perByte === 1 ? packed[flat]! : (packed[Math.floor(flat / perByte)]! >> ((flat % perByte) * bits)) & ((1 << bits) - 1));
  const outShape = [...logical.slice(0, g), ...a.indices.shape, ...logical.slice(g + 1)];
  const count = outShape.reduce((p, d) => p * d, 1);
  const scaleShape = a.scales.shape;
  const out: number[] = [];
  let rounded = 0;
  const half = { inexact: 0, ties: 0, subnormal: 0, infinite: 0 };
  const f16 = a.scales.dtype === 'float16';
  const scale = (k: number) => (f16 ? float16FromBits(a.scales.data[k]!) : a.scales.data[k]!);
  for (let o = 0; o < count; o++) {
    const oi = strides(outShape).map((s, k) => Math.floor(o / s) % outShape[k]!);
    const idxRank = a.indices.shape.length;
    const idxFlat = strides(a.indices.shape).reduce((acc, s, k) => acc + s * oi[g + k]!, 0);
    const raw = a.indices.data[idxFlat]!;
    const di = [...oi.slice(0, g), raw < 0 ? raw + logical[g]! : raw, ...oi.slice(g + idxRank)];
    const flat = strides(logical).reduce((acc, s, k) => acc + s * di[k]!, 0);
    const si = di.map((d, k) => (k === q ? Math.floor(d / a.blockSize) : d));
    const sFlat = strides(scaleShape).reduce((acc, s, k) => acc + s * si[k]!, 0);
    let zp = a.data.dtype === 'uint8' ? 1 << (a.bits - 1) : 0;
    if (a.zeroPoints) {
      // per row of the zero-point tensor (its last axis packed like the data for uint8)
      const zShape = a.zeroPoints.shape;
      const zi = si.map((d, k) => (k === rank - 1 ? Math.floor(d / comp) : d));
      const byte = strides(zShape).reduce((acc, s, k) => acc + s * zi[k]!, 0);
      zp = comp === 1 ? a.zeroPoints.data[byte]! : (a.zeroPoints.data[byte]! >> ((si[rank - 1]! % comp) * a.bits)) & ((1 << a.bits) - 1);
    }
    const exact = (element(flat, a.data.data, comp, a.bits) - zp) * scale(sFlat); // exact in float64 (9 x 24 bits)
    if (Math.fround(exact) !== exact) rounded++;
    if (!f16) {
      out.push(Math.fround(exact));
      continue;
    }
    // float16 scales: 9 x 11 bits, so the float32 product is exact and MLFloat16(float) rounds it once
    expect(Math.fround(exact), 'the float32 product of a float16 scale is exact').toBe(exact);
    const h = roundHalf(exact);
    if (h.inexact) half.inexact++;
    if (h.tie) half.ties++;
    if (h.subnormal) half.subnormal++;
    if (!Number.isFinite(h.value)) half.infinite++;
    out.push(h.value);
  }
  return { values: out, rounded, half };
}

describe('GatherBlockQuantized: reference and impl agree bit for bit, and equal the gather by multi-indices', () => {
  it('gather_block_quantized@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, float16: 0, f16Inexact: 0, f16Ties: 0, f16Subnormal: 0, f16Infinite: 0, uint8Bits8: 0, uint8Bits4: 0, uint8Bits2: 0, int4: 0, uint4: 0, partialBlock: 0, scalarIndices: 0, negativeIndex: 0, repeatedIndex: 0, sameAxes: 0, zeroPoints: 0, defaultZeroPoints: 0, rounded: 0 };
    checkAnsweredAgreement('gather_block_quantized agrees', requests, n, (request, ref) => {
      const a = decodeGatherBlockQuantized(new Attrs(request.attrs ?? {}, request.op), new Inputs(request.inputs ?? {}, request.op));
      const yt = decodeTensor(ref.outputs.y, 'y');
      const y = yt.dtype === 'float16' ? Array.from(yt.data, float16FromBits) : [...yt.data];
      expect(yt.dtype, 'the output has the scales type').toBe(a.scales.dtype);
      const { values: want, rounded, half } = byMultiIndex(a);
      if (a.scales.dtype === 'float16') {
        n.float16++;
        n.f16Inexact += half.inexact;
        n.f16Ties += half.ties;
        n.f16Subnormal += half.subnormal;
        n.f16Infinite += half.infinite;
      }
      const shown = (v: number) => (Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : String(v));
      if (JSON.stringify(y.map(shown)) !== JSON.stringify(want.map(shown))) throw new Error(`output ${y.slice(0, 8)}\nby multi-index ${want.slice(0, 8)}`);
      if (a.data.dtype === 'uint8') n[a.bits === 8 ? 'uint8Bits8' : a.bits === 4 ? 'uint8Bits4' : 'uint8Bits2']++;
      else n[a.data.dtype as 'int4' | 'uint4']++;
      const rank = a.data.shape.length;
      const q = (a.quantizeAxis + rank) % rank;
      const dq = a.data.shape[q]! * (a.data.dtype === 'uint8' && q === rank - 1 ? 8 / a.bits : 1);
      if (dq % a.blockSize !== 0) n.partialBlock++;
      if (a.indices.shape.length === 0) n.scalarIndices++;
      if (a.indices.data.some((v) => v < 0)) n.negativeIndex++;
      if (new Set(a.indices.data).size < a.indices.data.length) n.repeatedIndex++;
      if ((a.gatherAxis + rank) % rank === q) n.sameAxes++;
      if (a.zeroPoints) n.zeroPoints++;
      else n.defaultZeroPoints++;
      if (rounded > 0) n.rounded++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.85);
    expect(n.refused).toBeGreaterThan(5);
    for (const k of ['uint8Bits8', 'uint8Bits4', 'uint8Bits2', 'int4', 'uint4'] as const) expect(n[k], k).toBeGreaterThan(15);
    expect(n.partialBlock).toBeGreaterThan(100);
    for (const k of ['scalarIndices', 'negativeIndex', 'repeatedIndex', 'sameAxes'] as const) expect(n[k], k).toBeGreaterThan(15);
    expect(n.zeroPoints).toBeGreaterThan(100);
    expect(n.defaultZeroPoints).toBeGreaterThan(60);
    expect(n.rounded).toBeGreaterThan(60);
    expect(n.float16, 'float16-scale cases').toBeGreaterThan(80);
    for (const k of ['f16Inexact', 'f16Ties', 'f16Subnormal', 'f16Infinite'] as const) expect(n[k], k).toBeGreaterThan(5);
  });
});
