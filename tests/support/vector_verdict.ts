import { expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { type WireResponse } from '../../conformance/protocol/messages.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import type { VectorCase, LoadedFile } from '../../conformance/vectors/vector_set.js';
import { IMPLEMENTATIONS } from './implementations.js';

/**
 * Compare an implementation's response with a golden case, exactly (the runner's verdict, with the
 * contract strict: reference and impl must raise the typed error where torch returned garbage).
 * Returns null when they agree, else a one-line reason.
 */
export function vectorMismatch(c: VectorCase, got: WireResponse): string | null {
  const verdict = judgeAnswer(c, got, { strictContract: true });
  return verdict.pass ? null : verdict.difference.message;
}

/**
 * One test per implementation and vector file of `vectors/<setName>`: every case bit for bit, the
 * first five differing cases reported with the line that replays them.
 */
export function itMatchesEveryCase(setName: string, files: readonly LoadedFile[]): void {
  for (const [name, ops] of IMPLEMENTATIONS) {
    for (const { file, cases } of files) {
      it(`${name} matches ${file.path} (${cases.length} cases)`, () => {
        const failures = cases.flatMap((c) => {
          const reason = vectorMismatch(c, evaluateRequest(ops, c));
          return reason ? [`${c.id}: ${reason} [replay: grep '"id":"${c.id}"' vectors/${setName}/${file.path} | npx qconform eval --backend ${name}]`] : [];
        });
        expect(failures.slice(0, 5), `${failures.length} of ${cases.length} cases differ`).toEqual([]);
      });
    }
  }
}
