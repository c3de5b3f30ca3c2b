/**
 * Bit patterns of JS numbers as IEEE binary32/binary64: the one place that reinterprets floats as bits.
 * Used by the wire format, the exact reference (which decomposes bits into rationals) and generators.
 */
const scratch = new DataView(new ArrayBuffer(8));

/** The binary32 bit pattern of a JS number holding a float32 value (Math.fround(x) === x, or NaN). */
export function float32BitsOf(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

export function float32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

export function float64BitsOf(x: number): bigint {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

export function float64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}
