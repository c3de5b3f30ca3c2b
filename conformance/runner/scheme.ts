/**
 * The arithmetic scheme a case tests. Ops whose result depends on a backend's choice of scheme (conv
 * requantization: torch-qnnpack@1, torch-onednn@1, onnxruntime@1, ... in contract/conv.ts) carry it as the
 * string attribute `scheme`; every other op of semantics version @1 has exactly one scheme, PyTorch
 * 1.13.1 eager mode.
 */
import type { WireRequest } from '../protocol/messages.js';

export const TORCH_1_13_SCHEME = 'torch-1.13';

export function schemeOf(request: WireRequest): string {
  const declared = request.attrs?.scheme;
  return typeof declared === 'string' ? declared : TORCH_1_13_SCHEME;
}
