import { BINARY32, BINARY64, type IeeeValue, quieted } from './exact/ieee_value.js';
import { decodeBits, encodeBits } from './exact/ieee_bits.js';
import { isRepresentable } from './exact/round_to_format.js';
import type { F32Tensor, F64Tensor } from '../contract/tensor.js';
import { f32Tensor, f64Tensor } from '../contract/tensor.js';

/**
 * Tensor <-> exact values, by bit patterns only: float32 elements enter the exact world as their binary32 bits (read
 * through a Uint32Array view of the tensor's memory) and results leave it as bits written into the output's memory.
 * No element passes through a JS number array: V8's optimised code canonicalises a NaN stored into a double array
 * (a result 0xffc00000 came back 0x7fc00000 once toF32Tensor's values.map had run some thousand times).
 *
 * An element that is a NaN enters quieted (sign and payload kept, the quiet bit set), as the x86 cvtss2sd that loads
 * a float into a JS number does, and as every entry of a float32 through fromFloat32 does.
 */
export function exactElementsF32(t: F32Tensor): IeeeValue[] {
  const bits = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
  return Array.from(bits, (b) => {
    const v = decodeBits(BigInt(b), BINARY32);
    return v.kind === 'nan' ? quieted(v) : v;
  });
}

/** Build a float32 tensor from exact values that are float32 values (results of f32 operations), bit for bit. */
export function toF32Tensor(shape: readonly number[], values: readonly IeeeValue[]): F32Tensor {
  const bits = new Uint32Array(values.length);
  values.forEach((v, i) => {
    if (v.kind === 'finite' && !isRepresentable(v.value, BINARY32)) {
      throw new RangeError(`toF32Tensor: ${v.value} is not a float32 value`);
    }
    bits[i] = Number(encodeBits(v, BINARY32));
  });
  return f32Tensor(shape, new Float32Array(bits.buffer));
}

/** Build a float64 tensor from exact values that are float64 values (every float32 value is one), bit for bit. */
export function toF64Tensor(shape: readonly number[], values: readonly IeeeValue[]): F64Tensor {
  const bits = new BigUint64Array(values.length);
  values.forEach((v, i) => {
    if (v.kind === 'finite' && !isRepresentable(v.value, BINARY64)) {
      throw new RangeError(`toF64Tensor: ${v.value} is not a float64 value`);
    }
    bits[i] = encodeBits(v, BINARY64);
  });
  return f64Tensor(shape, new Float64Array(bits.buffer));
}
