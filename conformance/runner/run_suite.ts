/**
 * Run selected cases on a backend, in order, applying waivers; every case gets exactly one result.
 * When `interrupted` aborts (SIGINT/SIGTERM to the runner), the pending case and every case not yet
 * run get `error` "run interrupted", so the reports still hold one verdict per case.
 */
import type { Backend } from '../backends/backend.js';
import { unclaimedReason } from './claims.js';
import { type CaseResult, OK_VERDICTS } from './results.js';
import { type RunCaseOptions, runCase } from './run_case.js';
import type { SelectedCase } from './vector_selection.js';
import { NO_WAIVERS, type Waivers } from './waivers.js';

export interface SuiteOptions extends RunCaseOptions {
  readonly waivers?: Waivers;
  readonly onResult?: (result: CaseResult, done: number, total: number) => void;
  /** Aborted (with the signal's name as reason) to stop the run. */
  readonly interrupted?: AbortSignal;
}

function applyWaiver(result: CaseResult, reason: string | undefined): CaseResult {
  if (reason === undefined || result.verdict === 'unsupported') return result;
  if (OK_VERDICTS.has(result.verdict)) return { ...result, verdict: 'stale-waiver', detail: `waived ("${reason}") but it now passes: remove the waiver` };
  return { ...result, verdict: 'waived', waivedVerdict: result.verdict, detail: `${reason} (was ${result.verdict}: ${result.detail ?? ''})` };
}

function interruptedResult(s: SelectedCase, signal: AbortSignal, when: string, ms = 0): CaseResult {
  return { id: s.case.id, op: s.case.op, scheme: s.scheme, location: `${s.file}:${s.line}`, ms, verdict: 'error', detail: `run interrupted (${String(signal.reason)}) ${when}` };
}

/** The case's result with its waiver applied, or an interrupted result as soon as `signal` aborts. */
function judgeUnlessInterrupted(backend: Backend, s: SelectedCase, options: SuiteOptions, waiver: string | undefined): Promise<CaseResult> {
  const signal = options.interrupted;
  if (signal?.aborted) return Promise.resolve(interruptedResult(s, signal, 'before this case ran'));
  const judged = runCase(backend, s, options).then((r) => applyWaiver(r, waiver));
  if (!signal) return judged;
  const started = performance.now();
  let onAbort = () => undefined as void;
  const aborted = new Promise<CaseResult>((resolve) => {
    onAbort = () => resolve(interruptedResult(s, signal, 'while this case ran', performance.now() - started));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([judged, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

export async function runSuite(backend: Backend, cases: readonly SelectedCase[], options: SuiteOptions): Promise<CaseResult[]> {
  const waivers = options.waivers ?? NO_WAIVERS;
  const results: CaseResult[] = [];
  if (backend.prefetch) {
    const claimed = cases.filter((s) => !unclaimedReason(backend.capabilities, s.case)).map(({ case: { id, op, attrs, inputs } }) => ({ id, op, attrs, inputs }));
    await backend.prefetch(claimed);
  }
  for (const s of cases) {
    const result = await judgeUnlessInterrupted(backend, s, options, waivers.get(s.case.id));
    results.push(result);
    options.onResult?.(result, results.length, cases.length);
  }
  return results;
}
