/** Run selected cases on a backend, in order, applying waivers; every case gets exactly one result. */
import type { Backend } from '../backends/backend.js';
import { unclaimedReason } from './claims.js';
import { type CaseResult, OK_VERDICTS } from './results.js';
import { type RunCaseOptions, runCase } from './run_case.js';
import type { SelectedCase } from './vector_selection.js';
import { NO_WAIVERS, type Waivers } from './waivers.js';

export interface SuiteOptions extends RunCaseOptions {
  readonly waivers?: Waivers;
  readonly onResult?: (result: CaseResult, done: number, total: number) => void;
}

function applyWaiver(result: CaseResult, reason: string | undefined): CaseResult {
  if (reason === undefined || result.verdict === 'unsupported') return result;
  if (OK_VERDICTS.has(result.verdict)) return { ...result, verdict: 'stale-waiver', detail: `waived ("${reason}") but it now passes: remove the waiver` };
  return { ...result, verdict: 'waived', waivedVerdict: result.verdict, detail: `${reason} (was ${result.verdict}: ${result.detail ?? ''})` };
}

export async function runSuite(backend: Backend, cases: readonly SelectedCase[], options: SuiteOptions): Promise<CaseResult[]> {
  const waivers = options.waivers ?? NO_WAIVERS;
  const results: CaseResult[] = [];
  if (backend.prefetch) {
    const claimed = cases.filter((s) => !unclaimedReason(backend.capabilities, s.case)).map(({ case: { id, op, attrs, inputs } }) => ({ id, op, attrs, inputs }));
    await backend.prefetch(claimed);
  }
  for (const s of cases) {
    const result = applyWaiver(await runCase(backend, s, options), waivers.get(s.case.id));
    results.push(result);
    options.onResult?.(result, results.length, cases.length);
  }
  return results;
}
