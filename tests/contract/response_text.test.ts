/**
 * `qconform eval` writes its responses with responseText (conformance/protocol/response_text.ts), which copies
 * base64le strings in without scanning them: its text must be exactly JSON.stringify's, for every op family of
 * the committed sets in both encodings, for errors, odd ids and output names, and for outputs that do not come
 * from the encoder (then it falls back to JSON.stringify). Not vacuous: most compact responses take the fast form.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireResponse } from '../../conformance/protocol/messages.js';
import { responseText } from '../../conformance/protocol/response_text.js';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { COMMITTED_VECTOR_DIRS } from '../../conformance/vectors/vector_types.js';
import { intTensor } from '../../contract/tensor.js';
import { encodeTensor, isEncodedCompactTensor } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';

describe('responseText', () => {
  it('equals JSON.stringify on the responses to the first cases of every op of every committed set, in both encodings', () => {
    let fast = 0;
    let compact = 0;
    for (const dir of COMMITTED_VECTOR_DIRS) {
      const seen = new Map<string, number>();
      for (const { case: c } of selectCases(dir).cases) {
        const n = seen.get(c.op) ?? 0;
        if (n >= 2) continue;
        seen.set(c.op, n + 1);
        for (const encoding of ['json', 'base64le']) {
          const r = evaluateRequest(impl, { id: c.id, op: c.op, encoding, attrs: c.attrs, inputs: c.inputs });
          expect(responseText(r), c.id).toBe(JSON.stringify(r));
          if (encoding === 'base64le' && 'outputs' in r) {
            compact++;
            if (Object.values(r.outputs).every((v) => typeof v === 'number' || isEncodedCompactTensor(v))) fast++;
          }
        }
      }
    }
    expect(compact).toBeGreaterThan(50);
    expect(fast).toBe(compact);
  });

  it('equals JSON.stringify for odd ids and names, errors, and tensors the encoder did not make', () => {
    const q = encodeTensor(intTensor('qint8', [2], [-1, 5]), 'base64le');
    const responses: WireResponse[] = [
      { id: 'ünïcode "quoted" \\ back\u0001slash \u2028', outputs: { q, 'név "x"': q, n: 3, nan: NaN } },
      { id: null, error: { code: 'malformed_request', message: 'é "x"' } },
      { id: 'e', error: { code: 'unknown_op', message: 'no' } },
      { id: 'hand-made', outputs: { q: { dtype: 'qint8', shape: [1], b64: 'a"b\\' } } },
      { id: 'json', outputs: { q: encodeTensor(intTensor('qint8', [2], [-1, 5])) } },
      { id: 'empty', outputs: {} },
    ];
    for (const r of responses) expect(responseText(r)).toBe(JSON.stringify(r));
    expect(isEncodedCompactTensor(q)).toBe(true);
    expect(isEncodedCompactTensor({ ...q })).toBe(false);
    expect(Object.isFrozen(q)).toBe(true);
  });
});
