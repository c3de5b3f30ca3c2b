import type { WireResponse } from '../../conformance/dispatch.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import type { VectorCase } from '../../conformance/vector_store/vector_set.js';

/**
 * Compare an implementation's response with a golden case, exactly (the runner's verdict, with the
 * contract strict: reference and impl must raise the typed error where torch returned garbage).
 * Returns null when they agree, else a one-line reason.
 */
export function vectorMismatch(c: VectorCase, got: WireResponse): string | null {
  const verdict = judgeAnswer(c, got, { strictContract: true });
  return verdict.pass ? null : verdict.difference.message;
}
