/** ONNX Runtime (onnxruntime-node from npm), running the ops registered in onnxruntime_ops.ts. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../backend.js';
import { ORT_VECTORS_DIR } from '../../vectors/vector_set.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { ORT_ACCUMULATOR } from './qlinear_conv.js';
import { ORT_OPS, ORT_SCHEMES, type OrtModule } from './onnxruntime_ops.js';
import { ortVersion } from './ort_oracle.js';

const require = createRequire(import.meta.url);
const INSTALL = 'npm install onnxruntime-node';

function ortPackageJson(): string | null {
  try {
    return require.resolve('onnxruntime-node/package.json');
  } catch {
    return null;
  }
}

export const onnxruntimeBackend: BuiltinBackend = {
  name: 'onnxruntime',
  summary: `ONNX Runtime via onnxruntime-node; ops: ${Object.keys(ORT_OPS).join(', ')}`,
  defaultVectors: ORT_VECTORS_DIR,
  waiverDir: dirname(fileURLToPath(import.meta.url)),
  availability: () => (ortPackageJson() ? { available: true } : { available: false, reason: 'onnxruntime-node is not installed', install: INSTALL }),
  create: async (): Promise<Backend> => {
    const ort = (await import('onnxruntime-node')) as OrtModule;
    const version = ortVersion();
    return {
      name: 'onnxruntime',
      version,
      capabilities: { ops: Object.keys(ORT_OPS), schemes: ORT_SCHEMES, accumulator: ORT_ACCUMULATOR },
      info: { package: 'onnxruntime-node', version },
      run: (request) => {
        const runner = ORT_OPS[request.op];
        if (!runner) return { id: request.id, error: { code: 'unknown_op', message: `onnxruntime backend has no runner for ${request.op}` } };
        return runner(ort, request);
      },
    };
  },
};
