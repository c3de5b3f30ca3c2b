/**
 * The arithmetic scheme a case tests. Ops whose result depends on a backend's choice of scheme (conv
 * requantization: torch-qnnpack@1, torch-onednn@1, onnxruntime@1, ... in contract/conv.ts) carry it as the
 * string attribute `scheme`; every other op of semantics version @1 has exactly one scheme, PyTorch
 * 1.13.1 eager mode, except the ONNX quantization ops, whose one scheme is ONNX Runtime's (onnxruntime@1).
 */
import { ONNX_QUANT_OP_NAMES } from '../../contract/onnx_quant.js';
import type { WireRequest } from '../protocol/messages.js';

export const TORCH_1_13_SCHEME = 'torch-1.13';
/** The ONNX quantization ops (contract/onnx_quant.ts) have one scheme: ONNX Runtime 1.30's arithmetic. */
export const ONNXRUNTIME_SCHEME = 'onnxruntime@1';

export function schemeOf(request: WireRequest): string {
  const declared = request.attrs?.scheme;
  if (typeof declared === 'string') return declared;
  return (ONNX_QUANT_OP_NAMES as readonly string[]).includes(request.op) ? ONNXRUNTIME_SCHEME : TORCH_1_13_SCHEME;
}
