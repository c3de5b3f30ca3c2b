/**
 * A client for a backend process speaking docs/protocol.md: spawn, read the handshake, then send
 * requests and read one response line each. Garbage lines, wrong ids, crashes and silence become
 * typed outcomes (never a hang or an uncaught exception).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { WireRequest, WireResponse } from './messages.js';
import type { Capabilities } from '../backends/backend.js';

export interface Handshake {
  protocol: string;
  backend: string;
  version: string;
  ops: string[];
  /** Optional narrowing of the claims (docs/protocol.md); `ops` is the member above. */
  capabilities?: Partial<Omit<Capabilities, 'ops'>>;
  info?: Record<string, unknown>;
}

export type ExchangeResult =
  | { kind: 'response'; response: WireResponse }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'crash'; exitCode: number | null; signal: string | null; stderrTail: string }
  | { kind: 'garbage'; line: string; reason: string };

export class BackendProcessError extends Error {
  override readonly name = 'BackendProcessError';
}

const PROTOCOL = 'qconform-eval/1';

export class ProtocolClient {
  private readonly lines: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private exited = false;
  private exitInfo: { code: number | null; signal: string | null } = { code: null, signal: null };
  private stderrTail = '';
  private readonly reader: Interface;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.reader = createInterface({ input: child.stdout });
    this.reader.on('line', (line) => this.push(line));
    child.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitInfo = { code, signal };
      this.push(null);
    });
    child.on('error', (e) => {
      this.stderrTail += `\n${e.message}`;
      this.exited = true;
      this.push(null);
    });
    child.stdin.on('error', () => undefined); // EPIPE after a crash is reported as a crash, not thrown
  }

  private push(line: string | null): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(line);
    } else if (line !== null) this.lines.push(line);
  }

  private nextLine(timeoutMs: number): Promise<string | null | 'timeout'> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exited) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve('timeout');
      }, timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  /** Start `command args...` and read its handshake within `timeoutMs`. */
  static async start(command: string, args: readonly string[], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): Promise<{ client: ProtocolClient; handshake: Handshake }> {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    const client = new ProtocolClient(child);
    const line = await client.nextLine(timeoutMs);
    if (line === 'timeout' || line === null) {
      client.kill();
      const why = line === 'timeout' ? `no handshake within ${timeoutMs} ms` : `exited before its handshake (code ${client.exitInfo.code})`;
      throw new BackendProcessError(`${command}: ${why}; stderr: ${client.stderrTail.trim().slice(-1000)}`);
    }
    let hs: Handshake;
    try {
      hs = JSON.parse(line) as Handshake;
    } catch {
      client.kill();
      throw new BackendProcessError(`${command}: handshake is not JSON: ${line.slice(0, 200)}`);
    }
    if (hs.protocol !== PROTOCOL || !Array.isArray(hs.ops)) {
      client.kill();
      throw new BackendProcessError(`${command}: handshake must name protocol ${PROTOCOL} and list ops; got ${line.slice(0, 200)}`);
    }
    return { client, handshake: hs };
  }

  /** Send one request and wait for its response line. */
  async exchange(request: WireRequest, timeoutMs: number): Promise<ExchangeResult> {
    if (this.exited) return this.crash();
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    const line = await this.nextLine(timeoutMs);
    if (line === 'timeout') return { kind: 'timeout', afterMs: timeoutMs };
    if (line === null) return this.crash();
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { kind: 'garbage', line: line.slice(0, 500), reason: 'not JSON' };
    }
    const resp = parsed as Partial<WireResponse> & { id?: unknown };
    if (typeof parsed !== 'object' || parsed === null || resp.id !== request.id) {
      return { kind: 'garbage', line: line.slice(0, 500), reason: `expected a response with id ${request.id}` };
    }
    if (!('outputs' in resp) && !('error' in resp)) return { kind: 'garbage', line: line.slice(0, 500), reason: 'neither outputs nor error' };
    return { kind: 'response', response: resp as WireResponse };
  }

  private crash(): ExchangeResult {
    return { kind: 'crash', exitCode: this.exitInfo.code, signal: this.exitInfo.signal, stderrTail: this.stderrTail.slice(-1000) };
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Close stdin and wait for a clean exit (kill after `graceMs`). */
  async close(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        resolve();
      }, graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.reader.close();
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
    this.reader.close();
  }
}
