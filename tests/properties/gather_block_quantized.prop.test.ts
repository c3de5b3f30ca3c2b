/**
 * gather_block_quantized@1 (com.microsoft GatherBlockQuantized): the exact reference and the fast impl give the same
 * bits (or the same typed error) on the vector generator's cases (seeds drawn by fast-check, pinned); and each output
 * element equals DequantizeLinear's element f32(f32(q - zp) * s) of the data element the gather picks, found here by
 * walking the output's multi-index (independently of the contract's flat index arithmetic). Not vacuous: counters
 * show every data type and bits, partial last blocks, scalar and negative and repeated indices, equal gather and
 * quantize axes, default and given zero points, outputs whose float32 product rounds, and typed refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherBlockQuantizedCase } from '../../conformance/cases/gather_block_quantized_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { Attrs, Inputs, type WireRequest } from '../../conformance/protocol/messages.js';
import { decodeGatherBlockQuantized } from '../../conformance/protocol/onnx_qops_dispatch.js';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import { decodeTensor } from '../../contract/wire.js';
import { checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 300;
const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...gatherBlockQuantizedCase(new CaseRandom(`gbq/${seed}`), 0) }));

/** Strides of a row-major shape. */
const strides = (shape: readonly number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));

/** The expected output by multi-indices: out[pre, idx..., post] = dequantized data[pre, indices[idx...], post]. */
function byMultiIndex(a: GatherBlockQuantizedArgs): { values: number[]; rounded: number } {
  const rank = a.data.shape.length;
  const comp = a.data.dtype === 'uint8' ? 8 / a.bits : 1;
  const logical = a.data.shape.map((d, i) => (i === rank - 1 ? d * comp : d));
  const g = (a.gatherAxis + rank) % rank;
  const q = (a.quantizeAxis + rank) % rank;
  const element = (flat: number, packed: Int32Array, perByte: number, bits: number) => (perByte === 1 ? packed[flat]! : (packed[Math.floor(flat / perByte)]! >> ((flat % perByte) * bits)) & ((1 << bits) - 1));
  const outShape = [...logical.slice(0, g), ...a.indices.shape, ...logical.slice(g + 1)];
  const count = outShape.reduce((p, d) => p * d, 1);
  const scaleShape = a.scales.shape;
  const out: number[] = [];
  let rounded = 0;
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
    const exact = (element(flat, a.data.data, comp, a.bits) - zp) * a.scales.data[sFlat]!; // exact in float64 (9 x 24 bits)
    if (Math.fround(exact) !== exact) rounded++;
    out.push(Math.fround(exact));
  }
  return { values: out, rounded };
}

describe('GatherBlockQuantized: reference and impl agree bit for bit, and equal the gather by multi-indices', () => {
  it('gather_block_quantized@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, uint8Bits8: 0, uint8Bits4: 0, uint8Bits2: 0, int4: 0, uint4: 0, partialBlock: 0, scalarIndices: 0, negativeIndex: 0, repeatedIndex: 0, sameAxes: 0, zeroPoints: 0, defaultZeroPoints: 0, rounded: 0 };
    checkAnsweredAgreement('gather_block_quantized agrees', requests, n, (request, ref) => {
      const a = decodeGatherBlockQuantized(new Attrs(request.attrs ?? {}, request.op), new Inputs(request.inputs ?? {}, request.op), request.attrs ?? {});
      const y = [...decodeTensor(ref.outputs.y, 'y').data];
      const { values: want, rounded } = byMultiIndex(a);
      if (JSON.stringify(y.map((v) => Object.is(v, -0) ? '-0' : v)) !== JSON.stringify(want.map((v) => Object.is(v, -0) ? '-0' : v))) throw new Error(`output ${y.slice(0, 8)}\nby multi-index ${want.slice(0, 8)}`);
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
    expect(n.rounded).toBeGreaterThan(100);
  });
});
