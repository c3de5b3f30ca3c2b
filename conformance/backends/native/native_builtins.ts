/**
 * Built-in backends over the native adapters of conformance/backends/native/: real XNNPACK (int8 convolutions) and
 * real gemmlowp (fixed-point requantization), each a C++ process speaking docs/protocol.md. The adapter is
 * built on first use when the Debian packages and g++ are installed; otherwise the backend reports itself
 * unavailable with the install command. Their claims (ops, schemes, dtypes, accumulator) come from the
 * adapter's handshake.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GEMMLOWP_ADAPTER, type NativeAdapter, XNNPACK_ADAPTER, ensureBuilt, nativeAvailability } from './native_adapters.js';
import { GEMMLOWP_VECTORS_DIR, XNNPACK_VECTORS_DIR } from '../../vectors/vector_set.js';
import { GEMMLOWP_CATALOG, XNNPACK_CATALOG } from '../../cases/native_catalog.js';
import type { Backend } from '../backend.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';

function nativeBackend(a: NativeAdapter, o: Pick<BuiltinBackend, 'summary' | 'defaultVectors' | 'fuzzCatalog'>): BuiltinBackend {
  return {
    name: a.name,
    ...o,
    waiverDir: dirname(fileURLToPath(import.meta.url)),
    availability: () => nativeAvailability(a),
    create: (): Promise<Backend> => SubprocessBackend.start({ command: ensureBuilt(a), args: [] }),
  };
}

export const xnnpackBackend = nativeBackend(XNNPACK_ADAPTER, {
  summary: 'XNNPACK (Debian libxnnpack-dev, 2022-02-16 snapshot) qs8/qc8/qu8 NHWC convolutions via conformance/backends/native/xnnpack_backend.cpp; scheme xnnpack-fp32@1',
  defaultVectors: XNNPACK_VECTORS_DIR,
  fuzzCatalog: XNNPACK_CATALOG,
});

export const gemmlowpBackend = nativeBackend(GEMMLOWP_ADAPTER, {
  summary: "gemmlowp (Debian libgemmlowp-dev) fixed-point primitives composed as TFLite's MultiplyByQuantizedMultiplier via conformance/backends/native/gemmlowp_backend.cpp; requantize@1, scheme tflite-double-rounding@1",
  defaultVectors: GEMMLOWP_VECTORS_DIR,
  fuzzCatalog: GEMMLOWP_CATALOG,
});
