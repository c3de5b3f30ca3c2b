/**
 * Fault suite, SIGINT/SIGTERM to a run on an in-process backend (the built-in reference): its answers settle without
 * I/O, and the run's loop used to await them in microtasks only, so the event loop never dispatched the signal until
 * the last case; by then its handler was removed, and a run told to stop went on to the end, reported PASS and exited
 * 0 (measured: SIGTERM 4 s into an 8 s run). Now (conformance/runner/event_loop_turns.ts) the run stops as a signal to
 * a process backend's run does: every case not judged is `error` "run interrupted", the reports are written, exit
 * 128 + the signal's number. Whether the signal lands while the cases are selected or while they run, no case is
 * left without a verdict.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAndInterrupt } from '../../support/interrupted_cli.js';

/** The built-in reference on torch-1.13's 1,200 golden convs, each judged under torch-qnnpack@1 and torch-onednn@1: about
 * 4 s of cases here after about 1.5 s of start and selection. */
const CASES = 2400;

describe('fault suite: a signal to a run on an in-process backend', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} 2 s into a reference run: every case not judged is error "run interrupted", the reports written, exit ${code}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'qconform-interrupt-'));
      const report = join(dir, 'run.json');
      const junit = join(dir, 'run.xml');
      const command = ['run', '--backend', 'reference', '--op', 'quantized_conv2d@1', '--report', report, '--junit', junit];
      const r = await runAndInterrupt(command, { ready: () => true, signal, afterMs: 2000, boundMs: 30_000 });
      const where = `qconform ${command.join(' ')}\n${r.stdout}${r.stderr}`;
      expect(r.exitAfterSignalMs, `the signal was sent before the run ended\n${where}`).not.toBeNull();
      expect(r.killed, where).toBe(false);
      expect(r.exitCode, where).toBe(code);
      expect(r.stderr).toContain(`qconform: ${signal}: stopping`);
      const results = (JSON.parse(readFileSync(report, 'utf8')) as { results: { verdict: string; detail?: string }[] }).results;
      expect(results, 'one verdict per selected case').toHaveLength(CASES);
      const interrupted = results.filter((c) => c.verdict === 'error' && new RegExp(`^run interrupted \\(${signal}\\) `).test(c.detail ?? ''));
      const passed = results.filter((c) => c.verdict === 'pass');
      expect(interrupted.length, 'cases stopped by the signal').toBeGreaterThan(0);
      expect(interrupted.length + passed.length, 'every case passed before the signal or was stopped by it').toBe(CASES);
      expect(readFileSync(junit, 'utf8')).toContain('run interrupted');
    });
  }
});
