/**
 * TOSA through Debian's MLIR 19 (mlir-opt-19 lowering to LLVM, mlir-cpu-runner-19 running it) as a built-in
 * backend: requantize@1 as tosa.rescale, quantized_conv2d@1 as tosa.conv2d / tosa.depthwise_conv2d followed by
 * tosa.rescale, under tosa-single-round@1 and tosa-double-round@1. It checks MLIR's lowering of TOSA
 * (tosa-to-linalg, tosa-to-arith's apply_scale), not the TOSA reference model, which is not reachable here.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOSA_CATALOG } from '../../cases/tosa_catalog.js';
import { TOSA_VECTORS_DIR } from '../../vectors/vector_types.js';
import type { Backend } from '../backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { MLIR_CPU_RUNNER, MLIR_INSTALL, MLIR_OPT, mlirToolsMissing, mlirVersion } from './mlir_tools.js';
import { TOSA_CONV_SCHEMES } from './tosa_conv.js';
import { AnswerCache, TOSA_OPS } from './tosa_programs.js';

/** The conv accumulator of the lowering: linalg's quantized conv sums (x - zp)(w - zp) in i32 with wrapping adds. */
export const TOSA_ACCUMULATOR = 'int32_wrap';

export const tosaBackend: BuiltinBackend = {
  name: 'tosa-mlir',
  summary: `TOSA lowered by MLIR 19 (${MLIR_OPT}, ${MLIR_CPU_RUNNER}; a lowering, not the TOSA reference model): requantize@1 as tosa.rescale, quantized_conv2d@1 as tosa.conv2d / tosa.depthwise_conv2d + tosa.rescale (tosa-single-round@1, tosa-double-round@1)`,
  defaultVectors: TOSA_VECTORS_DIR,
  fuzzCatalog: TOSA_CATALOG,
  waiverDir: dirname(fileURLToPath(import.meta.url)),
  availability: () => {
    const missing = mlirToolsMissing();
    return missing ? { available: false, reason: `MLIR 19 tools: ${missing}`, install: MLIR_INSTALL } : { available: true };
  },
  create: async (): Promise<Backend> => {
    const version = mlirVersion();
    const cache = new AnswerCache();
    return {
      name: 'tosa-mlir',
      version,
      capabilities: { ops: [...TOSA_OPS], schemes: [...TOSA_CONV_SCHEMES], dtypes: ['quint8', 'qint8'], accumulator: TOSA_ACCUMULATOR },
      info: { mlir: version, tools: [MLIR_OPT, MLIR_CPU_RUNNER], lowering: 'tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith{include-apply-rescale=true}, tosa-to-tensor, LLVM JIT' },
      prefetch: (requests) => cache.fill(requests),
      run: (request) => cache.answer(request),
    };
  },
};
