/**
 * LiteRT.js (npm @litertjs/core: TFLite and its XNNPACK delegate compiled to wasm) as a built-in backend:
 * quantized_conv2d@1 through TFLite's builtin int8 kernels (tflite-single-rounding@1 for CONV_2D,
 * tflite-double-rounding@1 for DEPTHWISE_CONV_2D) or through the XNNPACK delegate (xnnpack-fp32@1), the
 * request's scheme choosing the path (conv_graph.ts).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LITERT_CATALOG } from '../../cases/litert_catalog.js';
import { LITERT_VECTORS_DIR } from '../../vectors/vector_types.js';
import type { Backend } from '../backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { LITERT_SCHEMES } from './conv_graph.js';
import { LITERT_ACCUMULATOR, litertConv2d } from './litert_conv.js';
import { LITERT_INSTALL, LITERT_PACKAGE, litertPackageJson, loadLiteRt } from './litert_runtime.js';

function flatbuffersInstalled(): boolean {
  try {
    import.meta.resolve('flatbuffers');
    return true;
  } catch {
    return false;
  }
}

export const litertBackend: BuiltinBackend = {
  name: 'litert',
  summary: `TFLite via LiteRT.js (${LITERT_PACKAGE}, wasm, 1 thread): quantized_conv2d@1 on the builtin int8 kernels (CONV_2D: tflite-single-rounding@1, DEPTHWISE_CONV_2D: tflite-double-rounding@1) or the XNNPACK delegate (xnnpack-fp32@1), picked by the scheme`,
  defaultVectors: LITERT_VECTORS_DIR,
  fuzzCatalog: LITERT_CATALOG,
  waiverDir: dirname(fileURLToPath(import.meta.url)),
  availability: () => (litertPackageJson() && flatbuffersInstalled() ? { available: true } : { available: false, reason: `${LITERT_PACKAGE} or flatbuffers is not installed`, install: LITERT_INSTALL }),
  create: async (): Promise<Backend> => {
    const rt = await loadLiteRt();
    return {
      name: 'litert',
      version: rt.version,
      capabilities: { ops: ['quantized_conv2d@1'], schemes: LITERT_SCHEMES, dtypes: ['quint8', 'qint8'], accumulator: LITERT_ACCUMULATOR },
      info: { package: LITERT_PACKAGE, version: rt.version, wasm: 'litert_wasm_compat_internal (no relaxed SIMD, 1 thread)' },
      run: (request) => (request.op === 'quantized_conv2d@1' ? litertConv2d(rt, request) : { id: request.id, error: { code: 'unknown_op', message: `litert backend has no runner for ${request.op}` } }),
    };
  },
};
