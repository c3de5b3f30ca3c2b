/**
 * Fault suite, long text: a backend's text a result keeps (an error message, an error code, a not_run reason, an output's
 * name) is cut at MAX_BACKEND_TEXT_BYTES (backend_text.ts), so the console and every report stay small whatever the
 * backend writes (1,200 cases of 0.7 MB messages once made the JSON report longer than a string can be: no report).
 */
import { describe, expect, it } from 'vitest';
import { MAX_BACKEND_TEXT_BYTES } from '../../../conformance/runner/backend_text.js';
import { expectJudged, runScenario } from '../../support/fault_scenario.js';

const BYTES = 1024 * 1024;
const CUT = /\.\.\. \((\d+) more bytes\)$/;

describe('fault suite: long backend text', () => {
  it('1 MiB of message, code, not_run reason and output name: each detail keeps its first 4 KiB, reports and console stay small', async () => {
    const run = await runScenario({ fault: 'long-text', on: [1, 2, 3, 4], backendArgs: ['--bytes', String(BYTES)] });
    const cut = (c: string) => new RegExp(`${c}{100}${CUT.source}`);
    await expectJudged(run, { 1: ['fail', cut('M')], 2: ['fail', cut('C')], 3: ['not-run', cut('R')], 4: ['fail', cut('N')] }, 1);
    for (const r of run.report!.results.slice(1, 5)) {
      const kept = r.detail!.replace(CUT, '');
      // the kept text is the first MAX_BACKEND_TEXT_BYTES bytes of the whole detail, and the count is of the rest
      expect(Buffer.byteLength(kept), r.id).toBe(MAX_BACKEND_TEXT_BYTES);
      expect(Number(CUT.exec(r.detail!)![1]) + MAX_BACKEND_TEXT_BYTES, r.id).toBeGreaterThanOrEqual(BYTES);
    }
    expect(run.reportBytes.json).toBeLessThan(64 * 1024);
    expect(run.reportBytes.junit).toBeLessThan(64 * 1024);
    expect(run.reportBytes.html).toBeLessThan(128 * 1024);
    expect(run.stdout.length).toBeLessThan(64 * 1024);
  });
});
