/**
 * The one range check of the ORT adapters (qdq.ts for QuantizeLinear / DequantizeLinear, onnx_qops_ort.ts for the
 * integer ops). onnxruntime-node takes integers through typed arrays (a feed's Uint8Array / Int8Array, an initializer's
 * raw bytes), which wrap a value outside the element type silently: quint8 256 reaches ORT as 0. Such a value is refused
 * before ORT sees the model, with the code the contract gives it, so that no ORT answer is computed (or recorded in a
 * vector) for an input ORT was never given. ONNX bool holds 0 and 1 only (QLinearWhere's condition).
 */
import { QconformError } from '../../../contract/errors.js';
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from '../../../contract/onnx_dtypes.js';

/** The integer element types the adapters hand to ORT. */
export type OrtIntElement = OnnxIntDtype | 'bool' | 'int64';

const RANGE: Readonly<Record<OrtIntElement, { readonly min: number; readonly max: number }>> = {
  ...ONNX_DTYPE_RANGE,
  bool: { min: 0, max: 1 },
  // a wire integer is an int32 (contract/wire.ts decodeTensor): every one fits int64
  int64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
};

export function isOrtIntElement(elem: string): elem is OrtIntElement {
  return Object.hasOwn(RANGE, elem);
}

/**
 * Refuses `values` (the tensor `what`, of ONNX element type `elem`) when one lies outside the element type: `code` is
 * the contract's code for that input (invalid_integer for a quantized tensor; zero_point_out_of_range for a
 * QuantizeLinear / DequantizeLinear zero point, contract/onnx_quant_checks.ts checkParamValues).
 */
export function refuseOutsideElementType(what: string, elem: OrtIntElement, values: ArrayLike<number> | null, code: 'invalid_integer' | 'zero_point_out_of_range'): void {
  if (!values) return;
  const { min, max } = RANGE[elem];
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (v < min || v > max) throw new QconformError(code, `${what}[${k}]`, v, `${elem} holds [${min}, ${max}]; ORT cannot be given this value`);
  }
}
