/**
 * contract/ort_broadcast_spans.ts against ORT 1.30's Broadcaster (core/providers/cpu/math/element_wise_ops.h), worked by
 * hand for shapes whose scalar role or span length is easy to get wrong. The roles are also measured against live
 * onnxruntime-node (tests/backends/ort_qlinear_broadcast.test.ts); the span length is ORT's unit of kernel calls.
 */
import { describe, expect, it } from 'vitest';
import { ortBroadcastSpans } from '../../contract/ort_broadcast_spans.js';

const ROWS: ReadonlyArray<[number[], number[], 'a' | 'b' | null, number]> = [
  [[2, 3], [2, 3], null, 6], // one span of everything
  [[2, 3], [3], null, 3], // b restarts after each row of a
  [[2, 1, 5], [2, 4, 5], null, 5], // a repeats its row over the 4
  [[1, 3, 1, 1], [1, 3, 4, 5], 'a', 20], // per-channel a: one element per H x W span
  [[1, 3, 4, 5], [1, 3, 1, 1], 'b', 20],
  [[3, 1], [1, 4], 'a', 4],
  [[1, 4], [3, 1], 'b', 4],
  [[3, 1], [1], 'a', 1], // the one-element b is not the scalar: a's trailing 1 decides
  [[3, 1], [], 'a', 1],
  [[3], [], 'b', 3],
  [[], [3], 'a', 3],
  [[], [], 'a', 1],
  [[1], [1], 'a', 1],
  [[5, 1], [1, 1], 'b', 5], // trailing pairs of 1s are skipped while both ranks have dims left
  [[1, 5, 1], [1], 'a', 1],
];

describe("ortBroadcastSpans: ORT 1.30's span split of a two-input broadcast", () => {
  for (const [a, b, scalar, size] of ROWS) {
    it(`${JSON.stringify(a)} with ${JSON.stringify(b)}: scalar ${scalar}, spans of ${size}`, () => {
      expect(ortBroadcastSpans(a, b)).toEqual({ scalar, size });
    });
  }
});
