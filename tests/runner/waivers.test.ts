import { describe, expect, it } from 'vitest';
import { runSuite } from '../../conformance/runner/run_suite.js';
import { parseWaivers } from '../../conformance/runner/waivers.js';
import roundHalfUp from '../fixtures/backends/round_half_up_backend.js';
import { expectVectorFileError } from '../support/vector_set_tampering.js';
import { quantizeCases } from '../support/runner_fixtures.js';

describe('waivers', () => {
  it('parse "<case id> <reason>" lines with comments; a line without a reason is refused with file:line', () => {
    expect([...parseWaivers('# header\n\nq-00001  ties round up   # tracked\n', 'w.txt')]).toEqual([['q-00001', 'ties round up']]);
    expectVectorFileError(() => parseWaivers('q-00001 ok\nq-00002\n', 'w.txt'), 'waiver', 'w.txt:2');
    expectVectorFileError(() => parseWaivers('q-00001 a\nq-00001 b\n', 'w.txt'), 'waiver', 'w.txt:2');
  });

  it('a waiver file that starts with a byte-order mark is refused, naming the mark (its first id would waive nothing)', () => {
    expectVectorFileError(() => parseWaivers('\uFEFFq-00001 ties round up\n', 'w.txt'), 'waiver', 'w.txt:1');
    expect(() => parseWaivers('\uFEFFq-00001 ties round up\n', 'w.txt')).toThrow('byte-order mark (U+FEFF)');
  });

  it('turn a failing case into waived and a passing waived case into a stale waiver; the rest is untouched', async () => {
    const cases = quantizeCases(40).filter((s) => s.case.attrs.dtype !== 'qint32');
    const plain = await runSuite(roundHalfUp, cases, { timeoutMs: 1000 });
    const failing = plain.find((r) => r.verdict === 'fail')!;
    const passing = plain.find((r) => r.verdict === 'pass')!;
    const waivers = new Map([
      [failing.id, 'ties round up'],
      [passing.id, 'was broken once'],
    ]);
    const waived = await runSuite(roundHalfUp, cases, { timeoutMs: 1000, waivers });
    const byId = new Map(waived.map((r) => [r.id, r]));
    expect(byId.get(failing.id)).toMatchObject({ verdict: 'waived', waivedVerdict: 'fail' });
    expect(byId.get(failing.id)!.detail).toMatch(/^ties round up \(was fail: output q\[\d+\]/);
    expect(byId.get(passing.id)).toMatchObject({ verdict: 'stale-waiver' });
    expect(waived.filter((r) => !waivers.has(r.id)).map((r) => r.verdict)).toEqual(plain.filter((r) => !waivers.has(r.id)).map((r) => r.verdict));
  });
});
