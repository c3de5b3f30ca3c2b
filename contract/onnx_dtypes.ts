/**
 * The integer element types of ONNX's QuantizeLinear / DequantizeLinear (onnx/defs/quantization/defs.cc, opset 21):
 * int8, uint8, int16, uint16, int32, and the packed 4-bit int4 / uint4. On the wire a 4-bit tensor carries one JSON
 * integer per element (unpacked); packing two elements per byte, low nibble first, is the ONNX Runtime backend's
 * business. The float8 types of the same ops are not integers and are not in the contract.
 */
export const ONNX_INT_DTYPES = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'int4', 'uint4'] as const;
export type OnnxIntDtype = (typeof ONNX_INT_DTYPES)[number];

/** Storage range of each ONNX integer element type (std::numeric_limits, Int4x2/UInt4x2 min_val/max_val). */
export const ONNX_DTYPE_RANGE: Readonly<Record<OnnxIntDtype, { readonly min: number; readonly max: number }>> = {
  int8: { min: -128, max: 127 },
  uint8: { min: 0, max: 255 },
  int16: { min: -32768, max: 32767 },
  uint16: { min: 0, max: 65535 },
  int32: { min: -2147483648, max: 2147483647 },
  int4: { min: -8, max: 7 },
  uint4: { min: 0, max: 15 },
};

export function isOnnxIntDtype(d: unknown): d is OnnxIntDtype {
  return typeof d === 'string' && (ONNX_INT_DTYPES as readonly string[]).includes(d);
}
