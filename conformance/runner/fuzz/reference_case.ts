/**
 * A fresh request turned into a golden case whose expectation is the exact reference's answer, or
 * null when the reference rejects it by a contract rule torch does not have (CONTRACT_REJECTIONS):
 * there a backend may return torch's values, which only torch can confirm, so such draws are skipped.
 */
import { reference } from '../../../reference/index.js';
import { CONTRACT_REJECTIONS, type ErrorCode } from '../../../contract/errors.js';
import { evaluateRequest } from '../../protocol/dispatch.js';
import { type WireRequest } from '../../protocol/messages.js';
import type { VectorCase } from '../../vectors/vector_set.js';

export function referenceCase(request: WireRequest): VectorCase | null {
  const answer = evaluateRequest(reference, request);
  const base = { id: request.id, op: request.op, attrs: request.attrs ?? {}, inputs: request.inputs ?? {} };
  if ('error' in answer) return CONTRACT_REJECTIONS[answer.error.code as ErrorCode] ? null : { ...base, expect: { error: { code: answer.error.code } } };
  return { ...base, expect: { outputs: answer.outputs } };
}
