/**
 * The arithmetic scheme a case tests. Ops whose result depends on a backend's choice of scheme (conv
 * requantization: torch-qnnpack@1, torch-onednn@1, onnxruntime@1, ... in contract/conv.ts) carry it as the
 * string attribute `scheme`; every other op of semantics version @1 has exactly one scheme, PyTorch
 * 1.13.1 eager mode, except the ONNX quantization ops, whose one scheme is ONNX Runtime's (onnxruntime@1).
 */
import { ONNX_QUANT_OP_NAMES } from '../../contract/onnx_quant.js';
import { ONNX_QOP_NAMES } from '../../contract/onnx_qops.js';
import type { WireRequest } from '../protocol/messages.js';

export const TORCH_1_13_SCHEME = 'torch-1.13';
export const ONNXRUNTIME_SCHEME = 'onnxruntime@1';

/** The ONNX ops (contract/onnx_quant.ts, contract/onnx_qops.ts) have one scheme: ONNX Runtime 1.30's arithmetic. */
const ONNX_RUNTIME_SCHEME_OPS: readonly string[] = [...ONNX_QUANT_OP_NAMES, ...ONNX_QOP_NAMES];

export function schemeOf(request: WireRequest): string {
  const declared = request.attrs?.scheme;
  if (typeof declared === 'string') return declared;
  return ONNX_RUNTIME_SCHEME_OPS.includes(request.op) ? ONNXRUNTIME_SCHEME : TORCH_1_13_SCHEME;
}
