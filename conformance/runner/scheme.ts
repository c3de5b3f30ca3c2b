/**
 * The arithmetic scheme a case tests. Ops whose result depends on a backend's choice of scheme (conv
 * requantization: torch-qnnpack@1, torch-onednn@1, onnxruntime@1, ... in contract/conv.ts) carry it as the
 * string attribute `scheme`; every other op of semantics version @1 has exactly one scheme, PyTorch
 * 1.13.1 eager mode.
 */
import { ONNX_QOP_NAMES } from '../../contract/onnx_qops.js';
import type { WireRequest } from '../protocol/messages.js';

export const TORCH_1_13_SCHEME = 'torch-1.13';

/** The ONNX integer ops (contract/onnx_qops.ts) have one scheme: ONNX Runtime 1.30's arithmetic, onnxruntime@1. */
const ONNX_RUNTIME_SCHEME_OPS: readonly string[] = ONNX_QOP_NAMES;

export function schemeOf(request: WireRequest): string {
  const declared = request.attrs?.scheme;
  if (typeof declared === 'string') return declared;
  return ONNX_RUNTIME_SCHEME_OPS.includes(request.op) ? 'onnxruntime@1' : TORCH_1_13_SCHEME;
}
