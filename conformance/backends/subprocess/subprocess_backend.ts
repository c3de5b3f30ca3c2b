/**
 * A backend in any language: a process speaking docs/protocol.md. The handshake supplies its name,
 * version and claims. After a crash, a timeout or output that breaks the one-line-per-request pairing
 * (an over-long line, a partial line) the process group is killed and a fresh process is started for
 * the next case, so one bad case never costs the others; a whole garbage line keeps the process.
 * After MAX_FAILED_STARTS failed starts in a row the backend is given up: every remaining case gets
 * the same verdict at once instead of waiting out one handshake timeout each.
 * A process whose handshake offers the compact tensor encoding gets its requests in `base64le`
 * (protocol/wire_negotiation.ts; `wire: 'json'` keeps json); every other process gets json, as before.
 */
import type { WireEncoding } from '../../../contract/wire.js';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { type WireChoice, compactRequest, negotiatedEncoding } from '../../protocol/wire_negotiation.js';
import { BackendProcessError, type ExchangeResult, type Handshake, ProtocolClient, exitDescription } from '../../protocol/protocol_client.js';
import { type Backend, BackendFault, type Capabilities } from '../backend.js';

export interface ProcessCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface StartOptions {
  /** Handshake timeout of the first start (default COMMAND_START_TIMEOUT_MS). */
  readonly startTimeoutMs?: number;
  /** Claims assumed where the handshake's optional `capabilities` member is silent. */
  readonly defaultCapabilities?: Omit<Capabilities, 'ops'>;
  /** Longest accepted stdout line (default contract MAX_LINE_BYTES). */
  readonly maxLineBytes?: number;
  /** Where a one-off notice goes (the backend was given up); default stderr. */
  readonly onNotice?: (message: string) => void;
  /** `auto` (default): base64le tensors when the handshake offers them; `json`: json always. */
  readonly wire?: WireChoice;
}

/** Default handshake timeout for a command backend's first start (built-ins that load slowly pass more). */
export const COMMAND_START_TIMEOUT_MS = 30_000;
/** Failed starts in a row after which the backend is given up for the rest of the run. */
export const MAX_FAILED_STARTS = 3;
/** A restart's handshake timeout: 4 times the first start's time, at least this, at most the first start's timeout. */
const MIN_RESTART_TIMEOUT_MS = 10_000;
/** A process dying this soon after an answer, while the next case is pending, may have exited after that answer. */
const EXIT_AFTER_ANSWER_MS = 200;
const MAX_WARNINGS = 50;

/** The handshake's `ops` and optional `capabilities` member (docs/protocol.md), over the defaults. */
function capabilitiesOf(hs: Handshake, defaults: Omit<Capabilities, 'ops'> = {}): Capabilities {
  return { ...defaults, ...hs.capabilities, ops: hs.ops };
}

/**
 * A handshake member with its lists as sets (sorted) and its object members in one order: a Python backend writing
 * `list(a_set)` lists its ops in another order in each process (string hashing is randomised per process), which is no
 * change of backend.
 */
function asSets(v: unknown): unknown {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? [...new Set(v as string[])].sort() : v;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, asSets(x)]));
  return v;
}

/**
 * The first member (of those that make the backend's identity and claims: not the free-form `info`) in which a
 * restarted process's handshake differs from the first process's, or null. Verdicts of one run must come from one
 * backend: a restart that meets another (the program was rebuilt or replaced during the run) ends the run's use of it.
 */
export function handshakeChange(first: Handshake, next: Handshake): string | null {
  for (const member of ['backend', 'version', 'ops', 'capabilities', 'encodings'] as const) {
    const was = JSON.stringify(asSets(first[member])) ?? 'absent';
    const now = JSON.stringify(asSets(next[member])) ?? 'absent';
    if (was !== now) return `${member} was ${was.slice(0, 200)}, the restarted process says ${now.slice(0, 200)}`;
  }
  return null;
}

const ended = (r: { signal: string | null; exitCode: number | null; stdoutClosed: boolean }) =>
  r.stdoutClosed ? 'it closed its stdout and kept running, so it could not answer; qconform ended it' : exitDescription(r.exitCode, r.signal);

export class SubprocessBackend implements Backend {
  readonly name: string;
  readonly version: string;
  readonly capabilities: Capabilities;
  readonly info: Record<string, unknown>;
  readonly enforcesTimeout = true;
  /** How many times the process was started again after a fault. */
  restarts = 0;
  private failedStarts = 0;
  private givenUp: BackendFault | null = null;
  private closed = false;
  private readonly pastWarnings: string[] = [];
  private readonly pastContradictions = new Map<string, string>();
  private pastWarningCount = 0;
  /** The tensor encoding spoken to the current process (negotiated from its handshake). */
  wireEncoding: WireEncoding;

  private constructor(
    private readonly cmd: ProcessCommand,
    private client: ProtocolClient | null,
    private readonly handshake: Handshake,
    private readonly restartTimeoutMs: number,
    private readonly options: StartOptions,
  ) {
    this.name = handshake.backend;
    this.version = handshake.version;
    this.capabilities = capabilitiesOf(handshake, options.defaultCapabilities);
    this.info = handshake.info ?? {};
    this.wireEncoding = negotiatedEncoding(handshake, options.wire);
  }

  static async start(cmd: ProcessCommand, options: StartOptions = {}): Promise<SubprocessBackend> {
    const startTimeoutMs = options.startTimeoutMs ?? COMMAND_START_TIMEOUT_MS;
    const started = performance.now();
    const { client, handshake } = await ProtocolClient.start(cmd.command, cmd.args, { timeoutMs: startTimeoutMs, env: cmd.env, maxLineBytes: options.maxLineBytes });
    const restartTimeoutMs = Math.min(startTimeoutMs, Math.max(MIN_RESTART_TIMEOUT_MS, 4 * (performance.now() - started)));
    return new SubprocessBackend(cmd, client, handshake, Math.round(restartTimeoutMs), options);
  }

  /** Stray output, early exits and floods seen so far (at most MAX_WARNINGS; `warningCount` counts all). */
  get warnings(): readonly string[] {
    return [...this.pastWarnings, ...(this.client?.warnings ?? [])].slice(0, MAX_WARNINGS);
  }

  /** Cases a process answered again with a different answer (id -> the second answer's head), over every process. */
  get contradicted(): ReadonlyMap<string, string> {
    const current = this.client?.contradictions;
    return current?.size ? new Map([...this.pastContradictions, ...current]) : this.pastContradictions;
  }

  get warningCount(): number {
    return this.pastWarningCount + (this.client?.warningCount ?? 0);
  }

  private warn(message: string): void {
    this.pastWarningCount++;
    if (this.pastWarnings.length < MAX_WARNINGS) this.pastWarnings.push(message);
  }

  /** Kill the current process group and keep its warnings. */
  private discardClient(): void {
    if (!this.client) return;
    this.client.kill();
    for (const w of this.client.warnings) if (this.pastWarnings.length < MAX_WARNINGS) this.pastWarnings.push(w);
    for (const [id, second] of this.client.contradictions) this.pastContradictions.set(id, second);
    this.pastWarningCount += this.client.warningCount;
    this.client = null;
  }

  private async restart(): Promise<ProtocolClient> {
    this.discardClient();
    if (this.givenUp) throw this.givenUp;
    if (this.closed) throw new BackendFault('crash', 'the backend was closed (run interrupted)');
    try {
      const { client, handshake } = await ProtocolClient.start(this.cmd.command, this.cmd.args, { timeoutMs: this.restartTimeoutMs, env: this.cmd.env, maxLineBytes: this.options.maxLineBytes });
      if (this.closed) {
        client.kill();
        throw new BackendFault('crash', 'the backend was closed (run interrupted)');
      }
      const change = handshakeChange(this.handshake, handshake);
      if (change) {
        client.kill();
        this.giveUp(new BackendFault('garbage', `the restarted process is not the backend this run started: its handshake differs (${change})`));
      }
      this.restarts++;
      this.failedStarts = 0;
      this.client = client;
      this.wireEncoding = negotiatedEncoding(handshake, this.options.wire);
      return client;
    } catch (e) {
      if (!(e instanceof BackendProcessError)) throw e;
      const kind = e.failure === 'bad-handshake' ? 'garbage' : 'crash';
      if (++this.failedStarts < MAX_FAILED_STARTS) throw new BackendFault(kind, `restart failed: ${e.message}`);
      this.giveUp(new BackendFault(kind, `backend cannot start (${MAX_FAILED_STARTS} starts in a row failed): ${e.message}`));
    }
  }

  /** From now on every case gets `fault` at once; says so once. */
  private giveUp(fault: BackendFault): never {
    this.givenUp = fault;
    (this.options.onNotice ?? ((m) => process.stderr.write(`${m}\n`)))(`qconform: ${fault.message}; every remaining case gets this verdict now`);
    throw fault;
  }

  /** The current process when it is still there once its pending output has arrived, else a fresh one. */
  private async usableClient(): Promise<ProtocolClient> {
    if (this.client && (await this.client.ready())) return this.client;
    return this.restart();
  }

  /** The request in the encoding the current process speaks. */
  private onWire(request: WireRequest): WireRequest {
    return this.wireEncoding === 'base64le' ? compactRequest(request) : request;
  }

  private async exchange(request: WireRequest, timeoutMs: number): Promise<ExchangeResult> {
    const client = await this.usableClient();
    const r = await client.exchange(this.onWire(request), timeoutMs);
    if (r.kind !== 'crash' || r.afterAnswer === null || r.afterAnswer.ms > EXIT_AFTER_ANSWER_MS || this.closed) return r;
    this.warn(`the process ended (${ended(r)}) ${Math.round(r.afterAnswer.ms)} ms after answering ${r.afterAnswer.id}, with ${request.id} pending: ${request.id} was run again on a fresh process`);
    let fresh: ProtocolClient;
    try {
      fresh = await this.restart();
    } catch {
      return r; // the first death stands as the case's crash; the failed start counts towards giving up
    }
    return fresh.exchange(this.onWire(request), timeoutMs);
  }

  async run(request: WireRequest, { timeoutMs }: { timeoutMs: number }): Promise<WireResponse> {
    const r = await this.exchange(request, timeoutMs);
    if (r.kind === 'response') return r.response;
    if (r.kind === 'garbage' && r.aligned) throw new BackendFault('garbage', `${r.reason}: ${r.line.slice(0, 200)}`);
    this.discardClient(); // its stream can no longer be trusted to line up with our requests
    if (r.kind === 'timeout') throw new BackendFault('timeout', `no response within ${r.afterMs} ms${r.note}`);
    if (r.kind === 'garbage') throw new BackendFault('garbage', `${r.reason}${r.line ? `: ${r.line.slice(0, 200)}` : ''}`);
    const unterminated = r.unterminatedBytes > 0 ? `; it wrote ${r.unterminatedBytes} bytes without a newline before it ended (a response line ends with "\\n")` : '';
    throw new BackendFault('crash', `process ended (${ended(r)})${unterminated}; stderr: ${r.stderrTail.trim().slice(-300)}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    await client?.close();
    if (this.client === client) this.discardClient();
  }
}
