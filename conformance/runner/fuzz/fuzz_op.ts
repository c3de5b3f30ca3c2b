/**
 * `qconform run --fuzz N --seed S`: fast-check draws N tapes per op, the catalogue's generator turns
 * each into a fresh case, the case runs on the backend and is judged against the exact reference. On
 * a mismatch fast-check shrinks the tape to a minimal failing case, which is returned with the
 * fast-check path that replays it.
 */
import fc from 'fast-check';
import type { CaseFactory } from '../../cases/builders.js';
import type { WireRequest } from '../../protocol/messages.js';
import type { VectorCase } from '../../vectors/vector_set.js';
import type { Backend } from '../../backends/backend.js';
import { unclaimedReason } from '../claims.js';
import type { CaseResult } from '../results.js';
import { runCase } from '../run_case.js';
import { schemeOf } from '../scheme.js';
import { referenceCase } from './reference_case.js';
import { TapeRandom, tapeArbitrary } from './tape_random.js';

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** fast-check's counterexample path, to replay one shrunk case directly. */
  readonly path?: string;
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
}

function draw(op: string, factory: CaseFactory, tape: readonly number[], seed: number): WireRequest {
  const id = `${op.split('@')[0]}_fuzz-${String(Math.abs(seed) % 100000).padStart(5, '0')}`;
  return { id, ...factory(new TapeRandom(tape), 0) };
}

/** The drawn case with the exact reference's expectation, or why it is not judged: the backend does not claim it, or the reference rejects it by a rule the real software lacks. */
function judgeable(backend: Backend, request: WireRequest): { case: VectorCase } | { skip: string } {
  const unclaimed = unclaimedReason(backend.capabilities, request);
  if (unclaimed) return { skip: unclaimed };
  const expected = referenceCase(request);
  return expected ? { case: expected } : { skip: 'the reference rejects it by a contract rule the real software lacks (CONTRACT_REJECTIONS)' };
}

/** The verdict of one drawn case, or null when it is not judgeable (its reason counted in `skips`). */
async function trial(backend: Backend, request: WireRequest, timeoutMs: number, skips?: Map<string, number>): Promise<{ case: VectorCase; result: CaseResult } | null> {
  const j = judgeable(backend, request);
  if ('skip' in j) {
    skips?.set(j.skip, (skips.get(j.skip) ?? 0) + 1);
    return null;
  }
  const selected = { case: j.case, scheme: schemeOf(j.case), file: '<fuzz>', line: 0 };
  const result = await runCase(backend, selected, { timeoutMs, strictContract: true });
  // the backend's library did not run it (the answer's not_run, its stand-in the expected answer): its reason counted in `skips`
  if (result.verdict === 'not-run') {
    const why = `not run by the backend's library: ${result.detail ?? ''}`;
    skips?.set(why, (skips.get(why) ?? 0) + 1);
    return null;
  }
  return { case: j.case, result };
}

/**
 * Hands a batching backend (Backend.prefetch) the requests the property is about to draw: fast-check draws the
 * same tapes for the same seed, and whether a draw is skipped depends on the request alone, so a first pass that
 * only collects them sees what the judged pass will ask (until a failure makes fast-check shrink).
 */
async function prefetchDraws(backend: Backend, op: string, factory: CaseFactory, options: FuzzOptions): Promise<void> {
  if (!backend.prefetch || options.path) return;
  const requests: WireRequest[] = [];
  const collect = fc.property(tapeArbitrary, (tape) => {
    const request = draw(op, factory, tape, options.seed);
    fc.pre('case' in judgeable(backend, request));
    requests.push(request);
  });
  fc.check(collect, { numRuns: options.runs, seed: options.seed, maxSkipsPerRun: 1000 });
  await backend.prefetch(requests);
}

export async function fuzzOp(backend: Backend, op: string, factory: CaseFactory, options: FuzzOptions): Promise<FuzzOutcome> {
  await prefetchDraws(backend, op, factory, options);
  const skips = new Map<string, number>();
  const property = fc.asyncProperty(tapeArbitrary, async (tape) => {
    const t = await trial(backend, draw(op, factory, tape, options.seed), options.timeoutMs, skips);
    fc.pre(t !== null);
    return t!.result.verdict === 'pass';
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
    maxSkipsPerRun: 1000,
  });
  const skipReasons = [...skips].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([why]) => why);
  const counts = { op, runs: details.numRuns, skipped: details.numSkips, skipReasons };
  if (!details.failed) return { ...counts, finding: null };
  if (!details.counterexample) return { ...counts, finding: null, problem: `fast-check stopped: ${String(details.errorInstance ?? 'too many skipped draws')}` };
  const [tape] = details.counterexample;
  const t = await trial(backend, draw(op, factory, tape, options.seed), options.timeoutMs);
  if (!t) return { ...counts, finding: null, problem: 'the shrunk counterexample is no longer judgeable' };
  return { ...counts, finding: { ...t, path: details.counterexamplePath ?? '', shrinks: details.numShrinks } };
}
