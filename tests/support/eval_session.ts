/**
 * An interactive `qconform eval` child process for the hostile-request suite: write request bytes with
 * backpressure, read response lines on demand (pauseReading plays a client that does not read), watch the server's peak memory, and end it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './runner_fixtures.js';

export class EvalSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private partial = '';
  private reading = false;
  private wake: (() => void) | null = null;
  private stderrText = '';
  private readonly exited: Promise<number | null>;

  private constructor(backend: 'reference' | 'impl') {
    this.child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/qconform.mjs'), 'eval', '--backend', backend], { cwd: PROJECT_ROOT });
    this.child.stderr.setEncoding('utf8').on('data', (s: string) => (this.stderrText += s));
    this.child.stdin.on('error', () => {}); // a server that died shows in the exit code
    this.exited = new Promise((done) => this.child.on('close', (code) => done(code)));
  }

  static start(backend: 'reference' | 'impl'): EvalSession {
    return new EvalSession(backend);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Writes `text`; resolves true once the child took it, false if it did not drain within `drainTimeoutMs`. */
  write(text: string | Buffer, drainTimeoutMs = 60_000): Promise<boolean> {
    if (this.child.stdin.write(text)) return Promise.resolve(true);
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.child.stdin.off('drain', drained);
        done(false);
      }, drainTimeoutMs);
      const drained = () => {
        clearTimeout(timer);
        done(true);
      };
      this.child.stdin.once('drain', drained);
    });
  }

  /** The next response line; rejects after `timeoutMs` or when stdout ends first. */
  async nextLine(timeoutMs: number): Promise<string> {
    this.startReading();
    this.child.stdout.resume();
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.child.stdout.readableEnded) throw new Error(`eval closed stdout; stderr: ${this.stderrText}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response line within ${timeoutMs} ms; stderr: ${this.stderrText}`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, left);
        this.wake = () => {
          clearTimeout(timer);
          done();
        };
      });
    }
    return this.lines.shift() as string;
  }

  /** The next response, parsed. */
  async next(timeoutMs: number): Promise<Record<string, unknown>> {
    return JSON.parse(await this.nextLine(timeoutMs)) as Record<string, unknown>;
  }

  /** Stops reading stdout (a client that does not read its responses) until the next nextLine. */
  pauseReading(): void {
    this.child.stdout.pause();
  }

  /** Peak resident memory of the server so far (Linux VmHWM), in bytes. */
  peakRssBytes(): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (!m) throw new Error(`no VmHWM in /proc/${this.pid}/status`);
    return Number(m[1]) * 1024;
  }

  /** Closes stdin (EOF) and waits for the exit; kills the child after `timeoutMs`. */
  async end(timeoutMs: number): Promise<number | null> {
    this.startReading();
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Ends the child whatever its state (test cleanup). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private startReading(): void {
    if (this.reading) return;
    this.reading = true;
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (s: string) => {
      const parts = (this.partial + s).split('\n');
      this.partial = parts.pop() as string;
      this.lines.push(...parts);
      this.wake?.();
    });
    this.child.stdout.on('end', () => this.wake?.());
  }
}
