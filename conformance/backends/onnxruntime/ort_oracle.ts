/**
 * The real ONNX Runtime oracle: onnxruntime-node (CPU EP, one thread) running the one-node models of onnxruntime_ops.ts built
 * in TypeScript (conformance/backends/onnxruntime). Used to write the ORT golden vectors and by the live oracle.
 */
import { createRequire } from 'node:module';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import type { OrtModule } from './qlinear_conv.js';
import { ORT_OPS } from './onnxruntime_ops.js';
import { importOrt } from './import_ort.js';

export const ORT_INSTALL_HINT = 'npm install (onnxruntime-node is a devDependency; its CPU binaries ship in the package)';

export async function loadOrt(): Promise<OrtModule | null> {
  try {
    return await importOrt();
  } catch {
    return null;
  }
}

/** onnxruntime-node's version, from its package.json. */
export function ortVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}

export async function runThroughOrt(ort: OrtModule, requests: readonly WireRequest[], onProgress?: (done: number) => void): Promise<WireResponse[]> {
  const responses: WireResponse[] = [];
  for (const [i, req] of requests.entries()) {
    const runner = ORT_OPS[req.op];
    responses.push(runner ? await runner(ort, req) : { id: req.id, error: { code: 'unknown_op', message: `onnxruntime backend has no runner for ${req.op}` } });
    if (onProgress && i % 500 === 0) onProgress(i);
  }
  return responses;
}
