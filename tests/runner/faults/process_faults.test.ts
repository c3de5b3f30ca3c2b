/**
 * Fault suite, processes: a grandchild that keeps the backend's stdout open must not keep the runner
 * alive after a timeout, a grandchild that left the backend's process group (setsid) is ended with the backend, a process that closes its stdout but lives on is a crash at once (it can never answer), and SIGTERM or SIGINT to the runner mid-run ends the backend's whole process
 * group, gives every case not judged `error` "run interrupted", writes both reports and exits 128 + the
 * signal's number.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubprocessBackend } from '../../../conformance/backends/subprocess/subprocess_backend.js';
import { FAULTY_PROCESS, expectJudged, faultVectors, runScenario } from '../../support/fault_scenario.js';

describe('fault suite: processes', () => {
  it('a grandchild holding stdout and a hang: timeout, the others pass, the runner exits, the grandchild is gone', async () => {
    const run = await runScenario({ fault: 'grandchild', on: [3], timeoutMs: 1500 });
    expect(run.pids.length, 'backend and grandchild of the first process, backend of the restart').toBeGreaterThanOrEqual(3);
    await expectJudged(run, { 3: ['timeout', /no response within 1500 ms/] }, 1);
  });

  it('a grandchild in a session of its own (setsid) and a hang: timeout, the others pass, both grandchildren are gone', async () => {
    // the first backend's grandchild goes with the timeout's kill, the restarted backend's when the run closes it: the
    // group kill reaches neither (process_cookie.ts finds them)
    const run = await runScenario({ fault: 'setsid-grandchild', on: [3], timeoutMs: 1500 });
    expect(run.pids.length, 'backend and grandchild of the first process, backend and grandchild of the restart').toBe(4);
    await expectJudged(run, { 3: ['timeout', /no response within 1500 ms/] }, 1);
  });

  it('a process that closes its stdout and keeps running: crash at once (not after the timeout), the others pass', async () => {
    const run = await runScenario({ fault: 'close-stdout', on: [3], timeoutMs: 20_000 });
    await expectJudged(run, { 3: ['crash', /process ended \(it closed its stdout and kept running, so it could not answer; qconform ended it\)/] }, 1);
    expect(run.ms, 'the 20 s timeout was not waited out').toBeLessThan(15_000);
  });

  it('a clean shutdown that closes stdout before its last work gets the grace period close() gives, not a kill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
    const { file } = faultVectors(dir);
    const finished = join(dir, 'finished');
    const backend = await SubprocessBackend.start({ command: process.execPath, args: [FAULTY_PROCESS, '--vectors', file, '--slow-exit', finished] });
    await backend.close();
    expect(existsSync(finished), 'the backend finished its shutdown work').toBe(true);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} to the runner while a case hangs: every case not judged is error "run interrupted", reports written, exit ${code}`, async () => {
      const run = await runScenario({ fault: 'grandchild', on: [2], timeoutMs: 15_000, interrupt: { signal, afterMs: 1000 } });
      const interrupted = (when: string): ['error', RegExp] => ['error', new RegExp(`run interrupted \\(${signal}\\) ${when}`)];
      await expectJudged(run, { 2: interrupted('while this case ran'), 3: interrupted('before'), 4: interrupted('before'), 5: interrupted('before'), 6: interrupted('before') }, code);
    });
  }
});
