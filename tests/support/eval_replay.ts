/**
 * A live test's judgement of a wire request against a real library's answer, and the replay line it prints on failure:
 * the request's id and the backend, and the command that sends the request to `qconform eval --backend <backend>`.
 */
import { expect } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

export const evalReplay = (r: WireRequest, backend: string): string => `${r.id} on ${backend} (replay: echo '${JSON.stringify(r)}' | npx qconform eval --backend ${backend})`;

/** A wire answer with an output y (or an error), as a live test reads it. */
type AnsweredY = { outputs?: { y: unknown }; error?: unknown };

/** The library answered y for `request` (else it fails with the answer), and reference and impl give that y exactly. */
export function expectReferenceAndImplGiveY(request: WireRequest, answer: AnsweredY): void {
  expect(answer.outputs?.y, `${request.id}: the library answers ${JSON.stringify(answer).slice(0, 300)}`).toBeDefined();
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const got = evaluateRequest(ops, request) as AnsweredY;
    expect(got.outputs?.y ?? got, evalReplay(request, name)).toEqual(answer.outputs!.y);
  }
}
