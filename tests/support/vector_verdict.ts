import type { WireResponse } from '../../conformance/dispatch.js';
import type { VectorCase } from '../../conformance/vector_store/vector_set.js';

/**
 * Compare an implementation's response with a golden case, exactly: outputs must be identical in dtype,
 * shape and every bit (floats travel as bit patterns, so string equality is bit equality); an expected
 * error must come back with the same typed code. Returns null when they agree, else a one-line reason.
 */
export function vectorMismatch(c: VectorCase, got: WireResponse): string | null {
  const want = c.expect;
  if ('error' in want) {
    if ('error' in got) return got.error.code === want.error.code ? null : `expected error ${want.error.code}, got error ${got.error.code}`;
    return `expected error ${want.error.code}, got outputs`;
  }
  if ('error' in got) return `expected outputs, got error ${got.error.code}: ${got.error.message}`;
  for (const [name, expected] of Object.entries(want.outputs)) {
    const actual = got.outputs[name];
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      return `output ${name} differs: expected ${JSON.stringify(expected).slice(0, 300)}, got ${JSON.stringify(actual).slice(0, 300)}`;
    }
  }
  const extra = Object.keys(got.outputs).filter((k) => !(k in want.outputs));
  return extra.length ? `unexpected outputs ${extra.join(', ')}` : null;
}
