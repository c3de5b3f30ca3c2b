/**
 * A client for a backend process speaking docs/protocol.md: spawn it in a process group of its own,
 * read the handshake, then send requests and read one response line each. Garbage lines, wrong ids,
 * over-long lines, crashes and silence become typed outcomes (never a hang or an uncaught exception).
 *
 * Lines nobody asked for are told apart from answers where that can be decided: a line already
 * waiting before a request is sent, or a JSON line carrying the id of an earlier request, is stray
 * output of an earlier case; it is skipped and kept as a warning, never blamed on the next case.
 * A line carrying the id of an answered request whose text differs from that answer's (trimmed) is a
 * second, different answer: the request is listed in `contradictions`, and the runner fails its case.
 */
import { createHash } from 'node:crypto';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { MAX_RESPONSE_LINE_BYTES } from '../../contract/limits.js';
import { BadHandshake, type Handshake, parseHandshake } from './handshake.js';
import { byteOrderMarkNote } from './byte_order_mark.js';
import { LineSplitter, type SplitItem } from './line_splitter.js';
import type { WireRequest, WireResponse } from './messages.js';
import { killGroup, spawnGroup } from './process_group.js';

export type { Handshake } from './handshake.js';

export type ExchangeResult =
  | { kind: 'response'; response: WireResponse }
  | { kind: 'timeout'; afterMs: number; note: string }
  /**
   * `afterAnswer`: this process's previous answer and the time from it to the exit (null when it had answered nothing).
   * `stdoutClosed`: the process closed its stdout and did not exit, so qconform ended it (no exit code or signal of its own).
   */
  | { kind: 'crash'; exitCode: number | null; signal: string | null; stderrTail: string; afterAnswer: { id: string; ms: number } | null; unterminatedBytes: number; stdoutClosed: boolean }
  /** `aligned`: the bad line was a whole line, so the stream still pairs one line with one request. */
  | { kind: 'garbage'; line: string; reason: string; aligned: boolean };

/** Why a backend process could not be started. */
export type StartFailure = 'bad-handshake' | 'no-handshake' | 'exited';

export class BackendProcessError extends Error {
  override readonly name = 'BackendProcessError';
  constructor(
    message: string,
    readonly failure: StartFailure = 'exited',
  ) {
    super(message);
  }
}

export interface StartClientOptions {
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly maxLineBytes?: number;
}

/** After its direct child exits, how long to wait for the rest of stdout (a grandchild may hold the pipe forever). */
const EXIT_DRAIN_MS = 100;
/** A partial line that cannot start a response (not `{`) and gets no newline for this long is garbage at once. */
const PARTIAL_STALL_MS = 250;
/** Unrequested lines kept at most; a process that writes more is flooding stdout and is ended. */
const MAX_QUEUED_LINES = 1000;
/** At most this many warnings are kept per process (the count goes on). */
const MAX_WARNINGS = 20;
const STDERR_TAIL_CHARS = 4000;

type Incoming = SplitItem | 'end' | 'stalled' | 'timeout';

/** How a process ended, for messages: "signal SIGKILL" or "exit code 3". */
export function exitDescription(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Why a process could not be spawned (child_process's 'error' event: no such file, not executable, ...). */
function spawnFailureText(e: NodeJS.ErrnoException): string {
  const hint = e.code === 'ENOENT' ? ': no such command or file (give a path, or a command on PATH)' : e.code === 'EACCES' ? ': permission denied (is the file executable?)' : '';
  return `${e.message}${hint}`;
}

const head = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}...` : s);

/** What two response lines are compared by: the same answer again is the same text (surrounding whitespace aside). */
const lineDigest = (line: string) => createHash('sha1').update(line.trim()).digest('base64');

export class ProtocolClient {
  private readonly queue: SplitItem[] = [];
  private queuedBytes = 0;
  /** Unrequested lines dropped because the queue was full (the process floods stdout). */
  private dropped = 0;
  private waiter: ((item: Incoming) => void) | null = null;
  /** Resolved when the process has ended: exited and its stdout read (finish()). */
  private resolveEnded: () => void = () => undefined;
  private readonly whenEnded = new Promise<void>((resolve) => (this.resolveEnded = resolve));
  private stallTimer: NodeJS.Timeout | null = null;
  private awaitingResponse = false;
  private readonly splitter: LineSplitter;
  private exitSeen = false;
  private ended = false;
  private stdoutEnded = false;
  /** The process closed its stdout and had not exited EXIT_DRAIN_MS later: it was ended (it could never answer). */
  private stdoutClosedRunning = false;
  /** Why the process could not be spawned, when it could not (then it never ran). */
  private spawnFailure: string | null = null;
  /** close() has begun: the process may close stdout and take its time to exit. */
  private closing = false;
  private exitInfo: { code: number | null; signal: string | null; at: number } = { code: null, signal: null, at: 0 };
  private stdoutBytes = 0;
  private stderrTail = '';
  private readonly sentIds = new Set<string>();
  /** The SHA-1 of each answered request's response line (trimmed), by id: a later line for that id is compared with it. */
  private readonly answered = new Map<string, string>();
  private readonly contradicted = new Map<string, string>();
  private lastAnswer: { id: string; at: number } | null = null;
  private readonly warningList: string[] = [];
  /** Warnings about this process's output (stray lines, floods), oldest first, at most MAX_WARNINGS. */
  warningCount = 0;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly maxLineBytes: number,
  ) {
    this.splitter = new LineSplitter(maxLineBytes, (item) => this.deliver(item));
    child.stdout.on('data', (d: Buffer) => {
      this.stdoutBytes += d.length;
      this.splitter.push(d);
      this.armStall();
    });
    child.stdout.on('end', () => {
      this.stdoutEnded = true;
      if (this.exitSeen) this.finish();
      else
        setTimeout(() => {
          if (this.exitSeen || this.ended || this.closing) return; // close() gives a closing process its grace period
          this.stdoutClosedRunning = true;
          this.exitInfo.at = performance.now();
          this.kill();
        }, EXIT_DRAIN_MS).unref();
    });
    child.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8', Math.max(0, d.length - STDERR_TAIL_CHARS))).slice(-STDERR_TAIL_CHARS);
    });
    child.on('exit', (code, signal) => {
      this.exitSeen = true;
      this.exitInfo = { code, signal, at: performance.now() };
      if (this.stdoutEnded) this.finish();
      else setTimeout(() => this.finish(), EXIT_DRAIN_MS).unref();
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      this.spawnFailure ??= spawnFailureText(e);
      this.stderrTail += `\n${e.message}`;
      this.exitSeen = true;
      this.exitInfo.at = performance.now();
      this.finish();
    });
    for (const s of [child.stdin, child.stdout, child.stderr]) s.on('error', () => undefined); // EPIPE after a crash is reported as a crash
  }

  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** Requests this process answered again with a different line: id -> the head of that second line. */
  get contradictions(): ReadonlyMap<string, string> {
    return this.contradicted;
  }

  /** A line for the answered request `id`: noted when it differs from the answer that was judged. */
  private noteRepeat(id: string, line: string): void {
    const first = this.answered.get(id);
    if (first !== undefined && first !== lineDigest(line) && !this.contradicted.has(id)) this.contradicted.set(id, head(line));
  }

  /** A queued unrequested line that is a JSON object with a string id: checked against that id's answer. */
  private checkQueuedRepeat(item: SplitItem): void {
    if (item.kind !== 'line' || !item.text.trimStart().startsWith('{')) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(item.text);
    } catch {
      return;
    }
    const id = (parsed as { id?: unknown } | null)?.id;
    if (typeof id === 'string') this.noteRepeat(id, item.text);
  }

  private warn(message: string): void {
    this.warningCount++;
    if (this.warningList.length < MAX_WARNINGS) this.warningList.push(message);
  }

  private wake(item: Incoming): boolean {
    if (!this.waiter) return false;
    const w = this.waiter;
    this.waiter = null;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    w(item);
    return true;
  }

  private deliver(item: SplitItem): void {
    if (this.wake(item)) return;
    if (this.queue.length >= MAX_QUEUED_LINES || this.queuedBytes > this.maxLineBytes) {
      this.dropped++; // flooding: counted, not kept; ready() ends the process
      return;
    }
    this.queue.push(item);
    this.queuedBytes += item.kind === 'line' ? item.text.length : 0;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveEnded();
    this.wake('end');
  }

  private afterLastAnswer(): string {
    return this.lastAnswer ? ` after answering ${this.lastAnswer.id}` : '';
  }

  /** While a response is awaited: a partial line that cannot start one (not `{`) and stalls is garbage. */
  private armStall(): void {
    if (!this.waiter || !this.awaitingResponse || this.stallTimer || this.splitter.pendingBytes === 0) return;
    const start = this.splitter.pendingHead().trimStart();
    if (start === '' || start.startsWith('{')) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (this.splitter.pendingBytes > 0) this.wake('stalled');
    }, PARTIAL_STALL_MS);
  }

  private nextItem(deadline: number): Promise<Incoming> {
    const queued = this.queue.shift();
    if (queued) {
      this.queuedBytes -= queued.kind === 'line' ? queued.text.length : 0;
      return Promise.resolve(queued);
    }
    if (this.ended) return Promise.resolve('end');
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake('timeout'), Math.max(0, deadline - performance.now()));
      this.waiter = (item) => {
        clearTimeout(timer);
        resolve(item);
      };
      this.armStall();
    });
  }

  /** Start `command args...` and read its handshake within `timeoutMs`. */
  static async start(command: string, args: readonly string[], { timeoutMs = 30_000, env, maxLineBytes = MAX_RESPONSE_LINE_BYTES }: StartClientOptions = {}): Promise<{ client: ProtocolClient; handshake: Handshake }> {
    const client = new ProtocolClient(spawnGroup(command, args, env ?? process.env), maxLineBytes);
    const item = await client.nextItem(performance.now() + timeoutMs);
    const fail = (why: string, failure: StartFailure) => {
      const stderr = client.stderrTail.trim().slice(-1000);
      client.kill();
      return new BackendProcessError(`${command}: ${why}${stderr ? `; stderr: ${stderr}` : ''}`, failure);
    };
    if (item === 'timeout') throw fail(client.silenceDiagnosis(timeoutMs), 'no-handshake');
    if (item === 'end' || item === 'stalled') {
      const { code, signal } = client.exitInfo;
      if (client.spawnFailure) throw new BackendProcessError(`${command}: could not be started: ${client.spawnFailure}`, 'exited');
      if (client.stdoutClosedRunning) throw fail('closed its stdout before its handshake and kept running (qconform ended it)', 'exited');
      throw fail(`exited before its handshake (${exitDescription(code, signal)})`, 'exited');
    }
    if (item.kind === 'overlong') throw fail(`bad handshake: a line longer than ${maxLineBytes} bytes`, 'bad-handshake');
    try {
      return { client, handshake: parseHandshake(item.text) };
    } catch (e) {
      if (!(e instanceof BadHandshake)) throw e;
      throw fail(`bad handshake: ${e.message}`, 'bad-handshake');
    }
  }

  /** What the process did by the handshake deadline, with the likely cause when it wrote nothing. */
  private silenceDiagnosis(timeoutMs: number): string {
    const pending = this.splitter.pendingBytes;
    if (pending > 0) return `no handshake within ${timeoutMs} ms: it wrote ${pending} bytes to stdout but no newline (end the handshake line with "\\n" and flush)`;
    return (
      `no handshake within ${timeoutMs} ms: the process is running but has written nothing to stdout. ` +
      'If it does write its handshake, its stdout is probably block-buffered (a pipe is not a terminal): flush after every line ' +
      '(Python: print(..., flush=True) or sys.stdout.flush(), or run python3 -u; C: fflush(stdout); C++: std::flush)'
    );
  }

  /**
   * Let output the process has already written arrive (a stray line after an answer, or its exit),
   * then skip unrequested lines as warnings. True when the process is still there to take a request.
   */
  async ready(): Promise<boolean> {
    for (let round = 0; round < 20; round++) {
      const before = this.stdoutBytes;
      await new Promise((r) => setImmediate(r));
      if (this.stdoutBytes === before) break;
    }
    this.skipUnrequested();
    if (this.exitSeen && this.lastAnswer) this.warn(`exited${this.afterLastAnswer()} (${exitDescription(this.exitInfo.code, this.exitInfo.signal)})`);
    return this.alive;
  }

  /**
   * The lines queued while no request was pending, skipped as one warning; a line carrying an answered request's id
   * is checked against that answer (a different one is a contradiction). A flood of them ends the process.
   */
  private skipUnrequested(): void {
    const stray = this.queue.length + this.dropped;
    for (const item of this.queue) this.checkQueuedRepeat(item);
    if (stray === 0) return;
    const first = this.queue[0];
    const shown = first?.kind === 'line' ? `: ${head(first.text)}` : first ? ': an over-long line' : '';
    const flood = this.dropped > 0 ? `; more than ${MAX_QUEUED_LINES}: it floods stdout and was ended` : '';
    this.warn(`wrote ${stray} line${stray === 1 ? '' : 's'} nobody asked for${this.afterLastAnswer()}${flood}${shown}`);
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.dropped > 0) this.kill();
    this.dropped = 0;
  }

  /** Send one request and wait for its response line. */
  async exchange(request: WireRequest, timeoutMs: number): Promise<ExchangeResult> {
    if (this.ended) return this.crash();
    this.sentIds.add(request.id);
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    const deadline = performance.now() + timeoutMs;
    this.awaitingResponse = true;
    try {
      for (;;) {
        const item = await this.nextItem(deadline);
        if (item === 'timeout') {
          const pending = this.splitter.pendingBytes;
          return { kind: 'timeout', afterMs: timeoutMs, note: pending > 0 ? ` (it wrote ${pending} bytes without a newline)` : '' };
        }
        if (item === 'end') return this.crash();
        if (item === 'stalled') return { kind: 'garbage', line: this.splitter.pendingHead(), reason: 'a line that cannot be a response (it does not start with "{"), with no newline', aligned: false };
        if (item.kind === 'overlong') return { kind: 'garbage', line: '', reason: `a line longer than the limit of ${this.maxLineBytes} bytes`, aligned: false };
        const judged = this.judgeLine(item.text, request.id);
        if (judged === 'stray') continue;
        if (judged.kind === 'response') {
          this.lastAnswer = { id: request.id, at: performance.now() };
          this.answered.set(request.id, lineDigest(item.text));
        }
        return judged;
      }
    } finally {
      this.awaitingResponse = false;
    }
  }

  private judgeLine(line: string, id: string): ExchangeResult | 'stray' {
    const garbage = (reason: string): ExchangeResult => ({ kind: 'garbage', line: line.slice(0, 500), reason, aligned: true });
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return garbage(`not JSON${byteOrderMarkNote(line)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return garbage('not a JSON object');
    const resp = parsed as Partial<WireResponse> & { id?: unknown };
    if (typeof resp.id === 'string' && resp.id !== id && this.sentIds.has(resp.id)) {
      this.warn(`answered ${resp.id} again while ${id} was pending: ${head(line)}`);
      this.noteRepeat(resp.id, line);
      return 'stray';
    }
    if (resp.id !== id) return garbage(`expected a response with id ${JSON.stringify(id)}, got id ${head(JSON.stringify(resp.id) ?? 'undefined', 80)}`);
    if (!('outputs' in resp) && !('error' in resp)) return garbage('neither outputs nor error');
    return { kind: 'response', response: resp as WireResponse };
  }

  private crash(): ExchangeResult {
    const afterAnswer = this.lastAnswer ? { id: this.lastAnswer.id, ms: this.exitInfo.at - this.lastAnswer.at } : null;
    // bytes of a last line the process wrote without its newline: not a response (a line ends with one), but named
    return {
      kind: 'crash',
      exitCode: this.exitInfo.code,
      signal: this.exitInfo.signal,
      stderrTail: this.stderrTail.slice(-1000),
      afterAnswer,
      unterminatedBytes: this.splitter.pendingBytes,
      stdoutClosed: this.stdoutClosedRunning,
    };
  }

  get alive(): boolean {
    return !this.exitSeen && !this.ended;
  }

  /**
   * Close stdin and wait up to `graceMs` for the process to end (its exit, and its stdout read to the end or for
   * EXIT_DRAIN_MS after the exit); then SIGKILL its whole group (grandchildren included). What it wrote after its last
   * answer is read as ready() reads it: a second, different answer to its last request too is in `contradictions`.
   */
  async close(graceMs = 2000): Promise<void> {
    this.closing = true;
    if (!this.ended) {
      this.child.stdin.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenEnded, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.kill();
    this.skipUnrequested();
  }

  /** SIGKILL the process group now and let go of its pipes. */
  kill(): void {
    killGroup(this.child);
    this.finish();
  }
}
