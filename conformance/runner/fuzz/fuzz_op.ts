/**
 * `qconform run --fuzz N --seed S`: fast-check draws N tapes per op, the catalogue's generator turns
 * each into a fresh case, the case runs on the backend and is judged against the exact reference. On
 * a mismatch fast-check shrinks the tape to a minimal failing case, which is returned with the
 * fast-check path that replays it. Every case the backend is asked (shrink attempts too) is kept as a
 * result, with its own id and replay line (fuzz_trial.ts), for the reports.
 */
import fc from 'fast-check';
import type { CaseFactory } from '../../cases/builders.js';
import type { WireRequest } from '../../protocol/messages.js';
import type { VectorCase } from '../../vectors/vector_set.js';
import type { Backend } from '../../backends/backend.js';
import { eventLoopTurns } from '../event_loop_turns.js';
import { STOPPED_BY_SIGINT, hearingSigint } from '../interruption.js';
import type { CaseResult } from '../results.js';
import { FuzzPaths } from './fuzz_paths.js';
import { type FuzzStream, drawRequest, judgeable, trial } from './fuzz_trial.js';
import { MAX_SKIPS_PER_RUN } from './replay_path.js';
import { tapeArbitrary } from './tape_random.js';

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** fast-check's path of one case, to judge it again (and, when it fails, shrink it as the run did); validated by replay_path.ts. */
  readonly path?: string;
  /** The --backend argument, for the replay lines. */
  readonly backendSpec: string;
  /** Aborted at SIGINT/SIGTERM: the case running gets `error` "run interrupted", and no further case is drawn. */
  readonly interrupted?: AbortSignal;
}

export interface FuzzFinding {
  readonly case: VectorCase;
  readonly result: CaseResult;
  readonly path: string;
  readonly shrinks: number;
}

export interface FuzzOutcome {
  readonly op: string;
  readonly runs: number;
  readonly skipped: number;
  /** Why draws were skipped, most frequent first (at most three reasons), e.g. a scheme outside the backend's claims. */
  readonly skipReasons: readonly string[];
  readonly finding: FuzzFinding | null;
  /** Set when fast-check stopped without a counterexample (e.g. nearly every draw was skipped). */
  readonly problem?: string;
  /** Every case the backend was asked, in the order asked (shrink attempts too); the finding's marked `minimal`. */
  readonly results: readonly CaseResult[];
  /** SIGINT/SIGTERM stopped the op. */
  readonly interrupted: boolean;
}

/** A promise that never settles: a property call that awaits it ends fast-check's run without asking the backend more. */
const NEVER = new Promise<never>(() => undefined);

/**
 * Hands a batching backend (Backend.prefetch) the requests the property is about to draw: fast-check draws the
 * same tapes for the same seed, and whether a draw is skipped depends on the request alone, so a first pass that
 * only collects them sees what the judged pass will ask (until a failure makes fast-check shrink), ids included.
 */
async function prefetchDraws(backend: Backend, stream: FuzzStream, factory: CaseFactory, options: FuzzOptions): Promise<boolean> {
  if (!backend.prefetch || options.path) return true;
  const requests: WireRequest[] = [];
  const paths = new FuzzPaths();
  const collect = fc.property(tapeArbitrary, (tape) => {
    const request = drawRequest(stream, factory, tape, paths.next());
    fc.pre('case' in judgeable(backend, request));
    requests.push(request);
  });
  if (hearingSigint(() => fc.check(collect, { numRuns: options.runs, seed: options.seed, maxSkipsPerRun: MAX_SKIPS_PER_RUN })) === STOPPED_BY_SIGINT) return false;
  await backend.prefetch(requests);
  return true;
}

/** Resolves when `signal` aborts (never without one). */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return NEVER;
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * After hearingSigint stopped fast-check: the SIGINT it raised again is taken by the handler (which aborts `signal`) on a
 * later turn of the event loop, which a timer keeps alive meanwhile (a signal handler alone does not).
 */
function sigintTaken(signal: AbortSignal | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([aborted(signal), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]).finally(() => clearTimeout(timer));
}

export async function fuzzOp(backend: Backend, op: string, factory: CaseFactory, options: FuzzOptions): Promise<FuzzOutcome> {
  const stream: FuzzStream = { op, runs: options.runs, seed: options.seed, timeoutMs: options.timeoutMs, backendSpec: options.backendSpec, ...(options.interrupted ? { interrupted: options.interrupted } : {}) };
  const results: CaseResult[] = [];
  const failing = new Map<string, VectorCase>();
  const skips = new Map<string, number>();
  const skip = (why: string) => skips.set(why, (skips.get(why) ?? 0) + 1);
  const summary = (interrupted: boolean, runs: number, skipped: number, finding: FuzzFinding | null = null, problem?: string): FuzzOutcome => ({
    op,
    runs,
    skipped,
    skipReasons: [...skips].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([why]) => why),
    finding,
    ...(problem ? { problem } : {}),
    results,
    interrupted,
  });
  /** The case a signal interrupted, which is not counted as judged. */
  let interruptedAt: string | undefined;
  /** The outcome from this op's own records, where fast-check's run was stopped: the cases judged and the draws skipped so far. */
  const soFar = (interrupted: boolean) => summary(interrupted, results.filter((r) => r.verdict !== 'not-run' && r.fuzz?.path !== interruptedAt).length, [...skips.values()].reduce((a, b) => a + b, 0));
  if (!(await prefetchDraws(backend, stream, factory, options))) {
    await sigintTaken(options.interrupted);
    return soFar(true);
  }
  const paths = new FuzzPaths(options.path);
  const turn = eventLoopTurns();
  // fast-check is stopped (its later calls never settle) once SIGINT/SIGTERM came, and in a replay once the replayed case did not fail
  let stopped: 'replayed' | 'interrupted' | null = null;
  let stop = (_: 'replayed' | 'interrupted') => undefined as void;
  const stoppedEarly = new Promise<null>((resolve) => (stop = (why) => ((stopped = why), resolve(null))));
  const property = fc.asyncProperty(tapeArbitrary, async (tape) => {
    if (stopped) return NEVER;
    if (options.interrupted?.aborted) return (stop('interrupted'), NEVER);
    // skipped draws, and an in-process backend's answers, never wait for I/O: let a signal's handler run now and then
    await turn();
    const path = paths.next();
    const first = paths.count === 1;
    const t = await trial(backend, stream, drawRequest(stream, factory, tape, path), path).catch((e: unknown) => {
      paths.failed(); // fast-check takes a throw as a failure
      throw e;
    });
    if ('result' in t) results.push(t.result);
    if ('result' in t && t.interrupted) {
      interruptedAt = path;
      return (stop('interrupted'), NEVER);
    }
    if ('skip' in t) skip(t.skip);
    // the backend's library did not run it (the answer's not_run, its stand-in the expected answer): skipped, its reason counted
    else if (t.result.verdict === 'not-run') skip(`not run by the backend's library: ${t.result.detail ?? ''}`);
    const verdict = 'skip' in t ? 'skipped' : t.result.verdict;
    const failed = verdict !== 'pass' && verdict !== 'skipped' && verdict !== 'not-run';
    // a replay judges the replayed case; only a failing one goes on, shrunk as the run that printed the path shrank it
    if (options.path !== undefined && first && !failed) stop('replayed');
    fc.pre(verdict !== 'skipped' && verdict !== 'not-run');
    if (!failed) return true;
    paths.failed();
    if ('case' in t) failing.set(path, t.case);
    return false;
  });
  const checked = hearingSigint(() => fc.check(property, { numRuns: options.runs, seed: options.seed, ...(options.path ? { path: options.path } : {}), maxSkipsPerRun: MAX_SKIPS_PER_RUN }));
  if (checked === STOPPED_BY_SIGINT) {
    await sigintTaken(options.interrupted);
    return soFar(true);
  }
  const details = await Promise.race([checked, stoppedEarly]);
  if (details === null) return soFar(stopped === 'interrupted');
  const { numRuns: runs, numSkips: skipped } = details;
  if (!details.failed) return summary(false, runs, skipped);
  if (!details.counterexample) return summary(false, runs, skipped, null, `fast-check stopped: ${String(details.errorInstance ?? 'too many skipped draws')}`);
  const path = details.counterexamplePath ?? '';
  const at = results.findIndex((r) => r.fuzz?.path === path);
  const minimal = failing.get(path);
  if (at < 0 || !minimal) return summary(false, runs, skipped, null, `fast-check's counterexample path ${path} is none of the cases judged (a path counted otherwise than fast-check counts it: fuzz_paths.ts)`);
  results[at] = { ...results[at]!, fuzz: { path, minimal: true } };
  return summary(false, runs, skipped, { case: minimal, result: results[at]!, path, shrinks: details.numShrinks });
}
