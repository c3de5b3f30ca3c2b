/**
 * Case generator of gather_block_quantized@1 (com.microsoft GatherBlockQuantized, ORT 1.30
 * gather_block_quantized.cc): uint8 data with bits 8, 4 or 2 (packed along the last axis, gathered along axis 0) and
 * int4 / uint4 data (any gather and quantize axes, equal ones included, negative forms too), ranks 2-3 (a few of rank 1, which ORT refuses), block sizes
 * 16-128 with a partial last block, int32 or int64 indices of rank 0-2 (negative and repeated ones), float32 scales or
 * (two in five) float16 ones, whose output is float16,
 * zero points present 60% of the time (the defaults otherwise: 2^(bits-1) for uint8, 0 for 4-bit). A few requests ORT
 * or the contract refuse: an index out of range, scales of the wrong shape, a non-positive scale (ORT computes it).
 */
import { ONNX_DTYPE_RANGE } from '../../contract/onnx_dtypes.js';
import { float16BitsOf } from '../../contract/float_bits.js';
import { type WireTensor, encodeTensor } from '../../contract/wire.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import type { CaseRandom } from './random.js';

const ints = (r: CaseRandom, n: number, min: number, max: number) => Array.from({ length: n }, () => r.int(min, max));

/**
 * float16 scales (ORT's MLFloat16 T2, a float16 output): the float32 ones rounded to float16, or, one in four (and for
 * any that round to 0 or infinity), a random positive finite float16: subnormal ones and ones up to 65504, whose
 * products round to float16 subnormals or overflow to infinity. A 0 or negative scale stays (the contract refuses it).
 */
function float16Scales(r: CaseRandom, shape: number[], scales: number[]): WireTensor {
  const bits = scales.map((s) => {
    const b = float16BitsOf(s);
    const finitePositive = s > 0 && (b & 0x7fff) !== 0 && (b & 0x7c00) !== 0x7c00;
    return s <= 0 ? b : finitePositive && !r.bool(0.25) ? b : r.int(0x0001, 0x7bff);
  });
  return encodeTensor({ dtype: 'float16', shape, data: Uint16Array.from(bits) });
}

export const gatherBlockQuantizedCase: CaseFactory = (r) => {
  const dtype = r.pick(['uint8', 'uint8', 'int4', 'uint4'] as const);
  const bits = dtype === 'uint8' ? r.pick([8, 4, 4, 2]) : 4;
  const components = dtype === 'uint8' ? 8 / bits : 1;
  const blockSize = r.pick([16, 16, 32, 64, 128]);
  const rank = dtype === 'uint8' || r.bool(0.96) ? r.int(2, 3) : 1; // ORT refuses rank 1
  const g = dtype === 'uint8' ? 0 : r.int(0, rank - 1);
  const q = dtype === 'uint8' ? rank - 1 : r.int(0, rank - 1);
  // the quantize axis spans one to three blocks, the last one often partial; uint8 packs `components` per byte
  const dq = Math.max(1, r.int(1, 3 * blockSize) - (r.bool(0.5) ? r.int(0, blockSize - 1) : 0));
  const logical = Array.from({ length: rank }, (_, i) => (i === q ? (components > 1 ? Math.max(1, Math.round(dq / components)) * components : dq) : r.int(1, 4)));
  const stored = logical.map((d, i) => (i === rank - 1 ? d / components : d));
  const range = ONNX_DTYPE_RANGE[dtype];
  const data = ints(r, numel(stored), range.min, range.max);
  const dg = logical[g]!;
  const indexShape = r.pick([[], [1], [r.int(1, 4)], [r.int(1, 3), r.int(1, 3)]]);
  const indices = ints(r, numel(indexShape), -dg, dg - 1);
  if (r.bool(0.03)) indices[0] = r.bool(0.5) ? dg : -dg - 1; // out of range: ORT 1.30 fails the run
  const blocks = Math.ceil(logical[q]! / blockSize);
  const scaleShape = logical.map((d, i) => (i === q ? blocks : d));
  if (r.bool(0.03)) scaleShape[q] = blocks + 1; // data and scales do not match
  const scales = Array.from({ length: numel(scaleShape) }, () => Math.fround(drawScale(r)));
  if (r.bool(0.02)) scales[0] = r.pick([0, -0.5]); // ORT computes with it; the contract refuses it
  const inputs: Record<string, unknown> = {
    data: wireInt(dtype, stored, data),
    indices: wireInt(r.bool(0.5) ? 'int32' : 'int64', indexShape, indices),
    scales: r.bool(0.4) ? float16Scales(r, scaleShape, scales) : wireF32(scaleShape, scales),
  };
  if (r.bool(0.6)) {
    const zpShape = scaleShape.map((d, i) => (components > 1 && i === q ? Math.ceil(d / components) : d));
    inputs.zero_points = wireInt(dtype, zpShape, ints(r, numel(zpShape), range.min, range.max));
  }
  const negative = (axis: number) => (r.bool(0.2) ? axis - rank : axis);
  const attrs: Record<string, unknown> = { gather_axis: negative(g), quantize_axis: negative(q), block_size: blockSize };
  if (bits !== 4 || r.bool(0.5)) attrs.bits = bits; // 4 is the default
  return { op: 'gather_block_quantized@1', attrs, inputs };
};
