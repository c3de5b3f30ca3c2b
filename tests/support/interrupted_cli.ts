/**
 * `qconform run ...` sent a signal once `ready(stdout)` holds (then `afterMs` later): its exit code (null when it had to
 * be killed), output, and how long it took from the signal to its exit. A run still alive `boundMs` after the signal is
 * SIGKILLed, so a run that ignores the signal fails its test instead of hanging the suite.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './runner_fixtures.js';

export interface InterruptedRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** ms from the signal to the exit; null when the signal was never sent (the run ended first). */
  readonly exitAfterSignalMs: number | null;
  readonly killed: boolean;
}

export function runAndInterrupt(args: readonly string[], o: { ready: (stdout: string) => boolean; signal: NodeJS.Signals; afterMs: number; boundMs: number; env?: NodeJS.ProcessEnv }): Promise<InterruptedRun> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/qconform.mjs'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | null = null;
    let killed = false;
    let killer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (signalledAt !== null || !o.ready(stdout)) return;
      clearInterval(poll);
      setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        signalledAt = performance.now();
        child.kill(o.signal);
        killer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), o.boundMs);
      }, o.afterMs);
    }, 20);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearInterval(poll);
      clearTimeout(killer);
      done({ exitCode, stdout, stderr, exitAfterSignalMs: signalledAt === null ? null : performance.now() - signalledAt, killed });
    });
  });
}
