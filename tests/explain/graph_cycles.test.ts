/**
 * `qconform explain` on a graph whose weight comes through a cycle of Identity nodes (a <- b <- a, or an Identity
 * feeding itself): a typed message naming the cycle and exit 2, at once. Run as a process with a timeout, so
 * that a reader that loops forever fails the test instead of hanging the suite.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQconform } from '../support/cli_process.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';

/** The base QDQ model with the conv's weight read from `ida`, produced by `cycle`. */
function cycleModel(cycle: { input: string[]; output: string[] }[]): Uint8Array {
  const parts = qdqParts();
  const conv = parts.nodes.find((n) => n.opType === 'Conv')!;
  conv.input = ['xf', 'ida'];
  parts.nodes.push(...cycle.map((c) => ({ opType: 'Identity', ...c })));
  return qdqModel(parts);
}

describe('qconform explain on an Identity cycle', () => {
  it.each([
    ['ida <- idb <- ida', [{ input: ['idb'], output: ['ida'] }, { input: ['ida'], output: ['idb'] }], /value ida is its own producer through Cast\/Identity nodes \(ida <- idb <- ida\)/],
    ['an Identity feeding itself', [{ input: ['ida'], output: ['ida'] }], /value ida is its own producer through Cast\/Identity nodes \(ida <- ida\)/],
  ])('%s: exit 2 with the cycle named, no hang', async (_, cycle, message) => {
    const path = join(mkdtempSync(join(tmpdir(), 'qconform-cycle-')), 'cycle.onnx');
    writeFileSync(path, cycleModel(cycle));
    const r = await runQconform(['explain', path], {}, 30_000);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
