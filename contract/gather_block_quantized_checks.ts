/**
 * The contract check of gather_block_quantized@1 (com.microsoft GatherBlockQuantized-1, float32 or float16 scales), run once by
 * reference/ and impl/, and the gather itself (index arithmetic only): for every output element the quantized value it
 * reads, its zero point and the index of its scale, as ORT 1.30 computes them
 * (onnxruntime/contrib_ops/cpu/quantization/gather_block_quantized.cc, PrepareForCompute and CopyDataAndDequantize).
 *
 * ORT's rules, in its order: block_size a power of 2 >= 16; bits 2, 4 or 8 for uint8 data, 4 for int4 / uint4;
 * scales float32 or float16 (T2: the output's type; the 1.30 CPU kernel registers T1 = uint8, UInt4x2, Int4x2 only, so
 * no float8 / float4 data); data of rank >= 2 (ORT's shape inference); uint8 data gathers along axis 0 and quantizes along its last axis (they differ); the output is data's shape with
 * the gather axis replaced by indices' shape, uint8's last dim times 8 / bits (the logical dim D_q); scales have
 * data's rank, ceil(D_q / block_size) on quantize_axis and data's dims elsewhere; zero points scales' shape (packed
 * like the data for uint8 with bits < 8, per row). An index outside [-D, D) makes ORT 1.30 fail the run
 * (`invalid_integer` here). Empty indices (any shape with a 0) and empty data give ORT's empty output (probed with
 * onnxruntime-node 1.30; an empty gather axis takes no index, so empty data always gives an empty y). qconform also
 * takes scales finite and > 0 only (ORT computes with any).
 *
 * The element of flat logical data index i (reshaped [X, D_q, N] around quantize_axis): x = i / (D_q N),
 * y = i % (D_q N) / N, z = i % N; its scale is scales[x * ceil(D_q / B) N + (y / B) N + z]; its zero point the
 * zero point of that index (uint8 packed: row = scale index / blocks per row, ORT's per-row byte and shift), or the
 * default: 0 for int4 / uint4, 2^(bits - 1) for uint8.
 */
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { GatherBlockQuantizedArgs } from './onnx_qops.js';
import { ONNX_DTYPE_RANGE } from './onnx_dtypes.js';
import { type IntData, numel } from './tensor.js';
import { float16FromBits } from './float_bits.js';
import { isPowerOfTwo, validateF32, validateScale, validateShape } from './validate.js';

export interface GatheredBlocks {
  readonly outShape: readonly number[];
  /** per output element: the quantized value (unpacked), its zero point, the flat index of its scale */
  readonly q: Int32Array;
  readonly zeroPoint: Int32Array;
  readonly scaleIndex: Int32Array;
}

const WHAT = 'gather_block_quantized';

function fail(code: 'invalid_dtype' | 'shape_mismatch' | 'invalid_integer' | 'axis_out_of_range' | 'unsupported_by_scheme', field: string, value: unknown, detail: string): never {
  throw new QconformError(code, `${WHAT}: ${field}`, value, detail);
}

function axisOf(name: string, axis: number, rank: number): number {
  if (!Number.isSafeInteger(axis) || axis < -rank || axis >= rank) fail('axis_out_of_range', name, axis, `an axis in [-${rank}, ${rank})`);
  return axis < 0 ? axis + rank : axis;
}

/** The value of packed element `i`: 8 / bits per byte, the first in the lowest bits. */
function unpacked(bytes: IntData, i: number, bits: number): number {
  const per = 8 / bits;
  return (bytes[Math.floor(i / per)]! >> ((i % per) * bits)) & ((1 << bits) - 1);
}

function checkValues(name: string, t: GatherBlockQuantizedArgs['data'], dtype: 'uint8' | 'int4' | 'uint4'): void {
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  const k = t.data.findIndex((v) => !(v >= min && v <= max));
  if (k >= 0) fail('invalid_integer', `${name}[${k}]`, t.data[k], `${dtype} holds [${min}, ${max}]`);
}

export function checkGatherBlockQuantized(a: GatherBlockQuantizedArgs): GatheredBlocks {
  const dtype = a.data.dtype;
  if (dtype !== 'uint8' && dtype !== 'int4' && dtype !== 'uint4') fail('invalid_dtype', 'data.dtype', dtype, 'uint8, int4 or uint4 (the T1 types ONNX Runtime 1.30 registers; its CPU kernel has no float8 / float4 data: those came after 1.30)');
  const b = a.blockSize;
  if (!Number.isSafeInteger(b) || b < 16 || !isPowerOfTwo(b)) fail('unsupported_by_scheme', 'block_size', b, "ORT: 'block_size' must be a power of 2 and not less than 16");
  const bits = a.bits;
  if (dtype === 'uint8' ? ![2, 4, 8].includes(bits) : bits !== 4) fail('unsupported_by_scheme', 'bits', bits, dtype === 'uint8' ? 'ORT: uint8 data only supports bits == 2, 4, or 8' : 'ORT: int4 / uint4 data only supports bits == 4');
  validateShape(`${WHAT}: data`, a.data);
  checkValues('data', a.data, dtype);
  const rank = a.data.shape.length;
  if (rank < 2) fail('shape_mismatch', 'data', a.data.shape, 'ORT (shape inference): data tensor must have rank > 1');
  const g = axisOf('gather_axis', a.gatherAxis, rank);
  const qa = axisOf('quantize_axis', a.quantizeAxis, rank);
  if (dtype === 'uint8' && (g !== 0 || qa !== rank - 1 || g === qa)) fail('unsupported_by_scheme', 'gather_axis, quantize_axis', [g, qa], 'ORT: for uint8 data gather_axis must be 0 and quantize_axis the last dimension (and they differ)');
  const idx = a.indices;
  if (idx.dtype !== 'int32' && idx.dtype !== 'int64') fail('invalid_dtype', 'indices.dtype', idx.dtype, 'int32 or int64');
  validateShape(`${WHAT}: indices`, idx);
  const components = dtype === 'uint8' ? 8 / bits : 1;
  const logical = a.data.shape.map((d, i) => (i === rank - 1 ? d * components : d));
  const dg = logical[g]!;
  const bad = idx.data.findIndex((v) => !(Number.isSafeInteger(v) && v >= -dg && v < dg));
  if (bad >= 0) fail('invalid_integer', `indices[${bad}]`, idx.data[bad], `an index into the gather axis's ${dg} entries: [-${dg}, ${dg}) (ORT 1.30 fails the run on any other)`);
  const s = a.scales;
  const sDtype: string = s.dtype;
  if (sDtype !== 'float32' && sDtype !== 'float16') fail('invalid_dtype', 'scales.dtype', sDtype, 'float32 or float16 (ORT 1.30 refuses bfloat16: "DequantizeLinear into BFLOAT16 is not implemented yet")');
  if (s.dtype === 'float32') validateF32(`${WHAT}: scales`, s);
  else if (!((s.data as unknown) instanceof Uint16Array)) fail('invalid_dtype', 'scales.data', typeof s.data, 'float16 scales hold their binary16 bit patterns in a Uint16Array');
  else validateShape(`${WHAT}: scales`, s);
  const dq = logical[qa]!;
  const blocks = Math.ceil(dq / b);
  const wanted = logical.map((d, i) => (i === qa ? blocks : d));
  if (s.shape.length !== rank || s.shape.some((d, i) => d !== wanted[i])) fail('shape_mismatch', 'scales', s.shape, `data and scales must match: [${wanted}] (ceil(${dq} / ${b}) on quantize_axis)`);
  s.data.forEach((v, k) => validateScale(`${WHAT}: scales[${k}]`, s.dtype === 'float16' ? float16FromBits(v) : v));
  const zp = a.zeroPoints;
  if (zp) {
    if (zp.dtype !== dtype) fail('invalid_dtype', 'zero_points.dtype', zp.dtype, `data's dtype (${dtype})`);
    validateShape(`${WHAT}: zero_points`, zp);
    const zpShape = wanted.map((d, i) => (components > 1 && i === qa ? Math.ceil(d / components) : d));
    if (zp.shape.length !== rank || zp.shape.some((d, i) => d !== zpShape[i])) fail('shape_mismatch', 'zero_points', zp.shape, `scales and zero_points must match: [${zpShape}]${components > 1 ? ` (${components} per byte on the last axis)` : ''}`);
    checkValues('zero_points', zp, dtype);
  }
  const outShape = [...logical.slice(0, g), ...idx.shape, ...logical.slice(g + 1)];
  const count = numel(outShape);
  checkLimit(`${WHAT}: output elements`, count, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const block = numel(logical.slice(g + 1));
  const n = numel(logical.slice(qa + 1));
  const scaleRow = blocks * n;
  const defaultZp = dtype === 'uint8' ? 1 << (bits - 1) : 0;
  const zpRow = Math.ceil(scaleRow / components);
  const zeroPointOf = (k: number): number => {
    if (!zp) return defaultZp;
    if (components === 1) return zp.data[k]!;
    const row = Math.floor(k / scaleRow);
    return unpacked(zp.data, row * zpRow * components + (k % scaleRow), bits);
  };
  const out = { q: new Int32Array(count), zeroPoint: new Int32Array(count), scaleIndex: new Int32Array(count) };
  for (let o = 0; o < count; o++) {
    const blk = Math.floor(o / block);
    const m = Math.floor(blk / idx.data.length);
    const raw = idx.data[blk % idx.data.length]!;
    const i = m * dg * block + (raw < 0 ? raw + dg : raw) * block + (o % block);
    out.q[o] = components > 1 ? unpacked(a.data.data, i, bits) : a.data.data[i]!;
    const k = Math.floor(i / (dq * n)) * scaleRow + Math.floor((Math.floor(i / n) % dq) / b) * n + (i % n);
    out.scaleIndex[o] = k;
    out.zeroPoint[o] = zeroPointOf(k);
  }
  return { outShape, ...out };
}
