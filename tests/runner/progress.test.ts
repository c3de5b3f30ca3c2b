import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar, progressLine } from '../../conformance/runner/progress.js';

/** Plain progress lines when stderr is not a terminal (CI logs): printed by a timer, so a stuck case still shows. */
describe('progress', () => {
  it('formats "412/1200 cases, 3 failing, 00:41"', () => {
    expect(progressLine('reference', 412, 1200, 3, 41_900)).toBe('reference: 412/1200 cases, 3 failing, 00:41');
    expect(progressLine('x', 1, 2, 0, 3_723_000)).toBe('x: 1/2 cases, 0 failing, 1:02:03');
  });

  it('prints plain lines on a non-terminal stream while cases run, and stops at finish', async () => {
    const stream = new PassThrough();
    let out = '';
    stream.setEncoding('utf8').on('data', (s: string) => (out += s));
    const progress = progressBar('b', 10, stream, 40);
    progress.update(3, 1);
    await new Promise((r) => setTimeout(r, 150));
    progress.finish();
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^b: 3\/10 cases, 1 failing, 00:00$/);
    const before = out;
    await new Promise((r) => setTimeout(r, 120));
    expect(out).toBe(before);
  });
});
