/**
 * Run selected cases on a backend (or on several instances of it, --jobs), applying waivers; every case gets exactly
 * one result, in case order. A case the backend answered a second time with a different answer (Backend.contradicted)
 * is an `error` whatever its first answer was judged, its waiver applied to that.
 * Each instance is closed once no case is left for it (finished below), so what it writes after its last answer is read.
 * When `interrupted` aborts (SIGINT/SIGTERM to the runner), the pending case and every case not yet
 * run get `error` "run interrupted", so the reports still hold one verdict per case.
 */
import type { Backend } from '../backends/backend.js';
import { unclaimedReason } from './claims.js';
import { type CaseResult, OK_VERDICTS } from './results.js';
import { type RunCaseOptions, runCase } from './run_case.js';
import { type SelectedCase, identityOf } from './vector_selection.js';
import { VectorFileError } from '../vectors/vector_file_error.js';
import { NO_WAIVERS, type Waivers } from './waivers.js';
import { shareOf } from './shard.js';
import { eventLoopTurns, turnEventLoop } from './event_loop_turns.js';

export interface SuiteOptions extends RunCaseOptions {
  readonly waivers?: Waivers;
  readonly onResult?: (result: CaseResult, done: number, total: number) => void;
  /** Aborted (with the signal's name as reason) to stop the run. */
  readonly interrupted?: AbortSignal;
}

function applyWaiver(result: CaseResult, reason: string | undefined): CaseResult {
  // a case not judged (outside the claims, or not run by the backend's library) neither uses nor staleness-checks a waiver
  if (reason === undefined || result.verdict === 'unsupported' || result.verdict === 'not-run') return result;
  if (OK_VERDICTS.has(result.verdict)) return { ...result, verdict: 'stale-waiver', detail: `waived ("${reason}") but it now passes: remove the waiver` };
  return { ...result, verdict: 'waived', waivedVerdict: result.verdict, detail: `${reason} (was ${result.verdict}: ${result.detail ?? ''})` };
}

function interruptedResult(s: SelectedCase, signal: AbortSignal, when: string, ms = 0): CaseResult {
  return { ...identityOf(s), scheme: s.scheme, ...(s.set ? { set: s.set } : {}), location: `${s.file}:${s.line}`, ms, verdict: 'error', detail: `run interrupted (${String(signal.reason)}) ${when}` };
}

/** The case's result (`judged`: before its waiver is applied), or an interrupted result as soon as `signal` aborts. */
export function judgeUnlessInterrupted(backend: Backend, s: SelectedCase, options: SuiteOptions): Promise<{ result: CaseResult; judged: boolean }> {
  const signal = options.interrupted;
  if (signal?.aborted) return Promise.resolve({ result: interruptedResult(s, signal, 'before this case ran'), judged: false });
  const judged = runCase(backend, s, options).then((result) => ({ result, judged: true }));
  if (!signal) return judged;
  const started = performance.now();
  let onAbort = () => undefined as void;
  const aborted = new Promise<{ result: CaseResult; judged: boolean }>((resolve) => {
    onAbort = () => resolve({ result: interruptedResult(s, signal, 'while this case ran', performance.now() - started), judged: false });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([judged, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** The `error` of a case answered twice, differently: its first answer's verdict is kept in the detail. */
export function answeredTwice(first: CaseResult, second: string): CaseResult {
  const { element: _e, matchesSchemes: _m, waivedVerdict: _w, ...rest } = first;
  const judged = `${first.verdict}${first.detail ? `: ${first.detail}` : ''}`;
  return { ...rest, verdict: 'error', detail: `the backend answered this case twice, differently (its first answer was judged ${judged}); the second answer: ${second}` };
}

export async function runSuite(backend: Backend, cases: readonly SelectedCase[], options: SuiteOptions): Promise<CaseResult[]> {
  return runSuiteOn([backend], cases, options);
}

/** The case's content, or null when its vector file changed since selection (runCase then gives its `error`). */
function readable(s: SelectedCase): SelectedCase['case'] | null {
  try {
    return s.case;
  } catch (e) {
    if (e instanceof VectorFileError) return null;
    throw e;
  }
}

async function prefetch(backend: Backend, cases: readonly SelectedCase[]): Promise<void> {
  if (!backend.prefetch) return;
  const claimed = cases.flatMap((s) => {
    const c = readable(s);
    return c === null || unclaimedReason(backend.capabilities, c) ? [] : [{ id: c.id, op: c.op, attrs: c.attrs, inputs: c.inputs }];
  });
  await backend.prefetch(claimed);
}

/**
 * An instance with no case left is closed, and so reads what its backend still writes (a process: until it ends, at most
 * ProtocolClient.close's grace period), so that a second, different answer to its last case is in `contradicted` before
 * it is read. An interrupted run leaves closing to its caller, which ends the backends at once.
 */
async function finished(backend: Backend, interrupted: AbortSignal | undefined): Promise<void> {
  if (interrupted?.aborted) return;
  await backend.close?.();
}

/**
 * `--jobs N`: the cases run on several instances of one backend at once. Each instance takes the next case not yet
 * taken (a batching backend, with prefetch, gets a contiguous share up front instead); results are kept in case
 * order, so the results, and the reports made from them, do not depend on which instance ran which case.
 */
export async function runSuiteOn(backends: readonly Backend[], cases: readonly SelectedCase[], options: SuiteOptions): Promise<CaseResult[]> {
  const waivers = options.waivers ?? NO_WAIVERS;
  const results: CaseResult[] = new Array<CaseResult>(cases.length);
  /** Each judged case's result before its waiver, to judge again a case found answered twice. */
  const unwaived: Array<CaseResult | undefined> = new Array<CaseResult | undefined>(cases.length);
  let done = 0;
  let next = 0;
  const batching = backends.some((b) => b.prefetch);
  const shares = backends.map((_, w) => {
    const start = backends.slice(0, w).reduce((n, __, v) => n + shareOf(cases.length, backends.length, v), 0);
    return { start, end: start + shareOf(cases.length, backends.length, w) };
  });
  // in-process backends settle without I/O: a signal's handler runs only at a turn of the event loop (this one: a signal
  // that came while the cases were selected stops the run before its first case)
  await turnEventLoop();
  await Promise.all(
    backends.map(async (backend, w) => {
      const share = shares[w]!;
      const turn = eventLoopTurns();
      if (batching) await prefetch(backend, cases.slice(share.start, share.end));
      let own = share.start;
      for (;;) {
        await turn();
        const i = batching ? (own < share.end ? own++ : -1) : next < cases.length ? next++ : -1;
        if (i < 0) return finished(backend, options.interrupted);
        const s = cases[i]!;
        const { result: raw, judged } = await judgeUnlessInterrupted(backend, s, options);
        const result = judged ? applyWaiver(raw, waivers.get(identityOf(s).id)) : raw;
        if (judged) unwaived[i] = raw;
        results[i] = result;
        options.onResult?.(result, ++done, cases.length);
      }
    }),
  );
  // a second, different answer arrives after its case was judged (while a later case is pending, before it is sent, or
  // after the instance's last case, before it ended)
  const contradicted = new Map(backends.flatMap((b) => [...(b.contradicted ?? [])]));
  if (contradicted.size === 0) return results;
  return results.map((r, i) => {
    const first = unwaived[i];
    const second = first && contradicted.get(first.id);
    return first && second !== undefined ? applyWaiver(answeredTwice(first, second), waivers.get(first.id)) : r;
  });
}
