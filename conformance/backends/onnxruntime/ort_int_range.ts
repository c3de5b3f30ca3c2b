/**
 * The one range check of the ORT adapters (qdq.ts for QuantizeLinear / DequantizeLinear, onnx_qops_ort.ts for the
 * integer ops, qlinear_conv.ts for quantized_conv2d). onnxruntime-node takes integers through typed arrays (a feed's
 * Uint8Array / Int8Array, an initializer's raw bytes), which wrap a value outside the element type silently: quint8 256
 * reaches ORT as 0. So a request with such a value is not run on ORT: the adapter throws OutsideElementType before the
 * model is built, and answers it with answerNotGivenToOrt (ort_not_given.ts), the contract's first refusal of the request
 * (whichever of its checks fires first, as reference/ and impl/ answer it) marked `not_run` (ort_not_run.ts), never as
 * ORT's answer. ONNX bool holds 0 and 1 only (QLinearWhere's condition).
 */
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from '../../../contract/onnx_dtypes.js';
import { NotGivenToOrt } from './ort_not_given.js';

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
 * A value ORT cannot be given (`where`: which, and the range of its element type): the request is not run on ORT. Should
 * the contract take the request, its answer is the reference's outputs, not run on ORT either (ort_not_given.ts).
 */
export class OutsideElementType extends NotGivenToOrt {
  override readonly name = 'OutsideElementType';
  constructor(readonly where: string) {
    super(`an integer outside its ONNX element type: ${where}`);
  }
}

/** Throws OutsideElementType when one of `values` (the tensor `what`, of ONNX element type `elem`) lies outside the element type. */
export function refuseOutsideElementType(what: string, elem: OrtIntElement, values: ArrayLike<number> | null): void {
  if (!values) return;
  const { min, max } = RANGE[elem];
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (v < min || v > max) throw new OutsideElementType(`${what}[${k}] = ${v}, ${elem} holds [${min}, ${max}]`);
  }
}
