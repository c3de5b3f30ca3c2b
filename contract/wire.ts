/**
 * The wire form of tensors and scalars (docs/protocol.md): floats travel as IEEE bit patterns in hex,
 * integers as JSON integers. Decoding validates and throws QconformError('malformed_request') with the
 * path of the offending field.
 */
import { QconformError } from './errors.js';
import { ONNX_INT_DTYPES } from './onnx_dtypes.js';
import { float32BitsOf, float32FromBits, float64BitsOf, float64FromBits } from './float_bits.js';
import type { F32Tensor, F64Tensor, IntDtype, IntTensor, Tensor } from './tensor.js';
import { numel } from './tensor.js';

export type WireTensor =
  | { dtype: 'float32' | 'float64'; shape: number[]; hex: string[] }
  | { dtype: IntDtype; shape: number[]; values: number[] };

const INT_DTYPES: readonly string[] = ['quint8', 'qint8', 'qint32', 'quint4x2', 'int32', 'int64', ...ONNX_INT_DTYPES];
const HEX32 = /^[0-9a-f]{8}$/;
const HEX64 = /^[0-9a-f]{16}$/;

function malformed(path: string, value: unknown, detail: string): QconformError {
  return new QconformError('malformed_request', path, value, detail);
}

export function f32ToHex(x: number): string {
  return float32BitsOf(x).toString(16).padStart(8, '0');
}

export function f64ToHex(x: number): string {
  return float64BitsOf(x).toString(16).padStart(16, '0');
}

export function hexToF32(h: string, path = 'value'): number {
  if (typeof h !== 'string' || !HEX32.test(h)) throw malformed(path, h, 'float32 values are 8 lowercase hex digits');
  return float32FromBits(parseInt(h, 16));
}

export function hexToF64(h: unknown, path = 'value'): number {
  if (typeof h !== 'string' || !HEX64.test(h)) throw malformed(path, h, 'float64 values are 16 lowercase hex digits');
  return float64FromBits(BigInt(`0x${h}`));
}

function decodeShape(shape: unknown, path: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw malformed(`${path}.shape`, shape, 'shape is an array of non-negative integers');
  }
  return shape as number[];
}

export function decodeTensor(w: unknown, path: string): Tensor {
  if (typeof w !== 'object' || w === null) throw malformed(path, w, 'a tensor is an object {dtype, shape, hex|values}');
  const t = w as Record<string, unknown>;
  const shape = decodeShape(t.shape, path);
  const n = numel(shape);
  if (t.dtype === 'float32' || t.dtype === 'float64') {
    const hex = t.hex;
    if (!Array.isArray(hex) || hex.length !== n) throw malformed(`${path}.hex`, Array.isArray(hex) ? hex.length : hex, `expected ${n} elements for shape [${shape}]`);
    if (t.dtype === 'float32') {
      return { dtype: 'float32', shape, data: Float32Array.from(hex, (h, i) => hexToF32(h as string, `${path}.hex[${i}]`)) };
    }
    return { dtype: 'float64', shape, data: Float64Array.from(hex, (h, i) => hexToF64(h, `${path}.hex[${i}]`)) };
  }
  if (typeof t.dtype === 'string' && INT_DTYPES.includes(t.dtype)) {
    const values = t.values;
    if (!Array.isArray(values) || values.length !== n) throw malformed(`${path}.values`, Array.isArray(values) ? values.length : values, `expected ${n} elements for shape [${shape}]`);
    values.forEach((v, i) => {
      if (!Number.isSafeInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) throw malformed(`${path}.values[${i}]`, v, 'integers must fit int32');
    });
    return { dtype: t.dtype as IntDtype, shape, data: Int32Array.from(values as number[]) };
  }
  throw malformed(`${path}.dtype`, t.dtype, `dtype is float32, float64 or one of ${INT_DTYPES.join(', ')}`);
}

export function encodeTensor(t: Tensor): WireTensor {
  if (t.dtype === 'float32') return { dtype: 'float32', shape: [...t.shape], hex: Array.from(t.data, f32ToHex) };
  if (t.dtype === 'float64') return { dtype: 'float64', shape: [...t.shape], hex: Array.from(t.data, f64ToHex) };
  return { dtype: t.dtype, shape: [...t.shape], values: Array.from(t.data) };
}

export function expectF32(t: Tensor, path: string): F32Tensor {
  if (t.dtype !== 'float32') throw malformed(path, t.dtype, 'expected a float32 tensor');
  return t;
}

export function expectF64(t: Tensor, path: string): F64Tensor {
  if (t.dtype !== 'float64') throw malformed(path, t.dtype, 'expected a float64 tensor');
  return t;
}

export function expectInt(t: Tensor, path: string): IntTensor {
  if (t.dtype === 'float32' || t.dtype === 'float64') throw malformed(path, t.dtype, 'expected an integer tensor');
  return t;
}
