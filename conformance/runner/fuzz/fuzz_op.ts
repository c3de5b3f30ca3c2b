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
  readonly finding: FuzzFinding | null;
  /** Set when fast-check stopped without a counterexample (e.g. nearly every draw was skipped). */
  readonly problem?: string;
}

function draw(op: string, factory: CaseFactory, tape: readonly number[], seed: number): WireRequest {
  const id = `${op.split('@')[0]}_fuzz-${String(Math.abs(seed) % 100000).padStart(5, '0')}`;
  return { id, ...factory(new TapeRandom(tape), 0) };
}

/** The verdict of one drawn case, or null when the backend does not claim it or the draw is not judgeable. */
async function trial(backend: Backend, request: WireRequest, timeoutMs: number): Promise<{ case: VectorCase; result: CaseResult } | null> {
  if (unclaimedReason(backend.capabilities, request)) return null;
  const expected = referenceCase(request);
  if (!expected) return null;
  const selected = { case: expected, scheme: schemeOf(expected), file: '<fuzz>', line: 0 };
  return { case: expected, result: await runCase(backend, selected, { timeoutMs, strictContract: true }) };
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
    fc.pre(!unclaimedReason(backend.capabilities, request) && referenceCase(request) !== null);
    requests.push(request);
  });
  fc.check(collect, { numRuns: options.runs, seed: options.seed, maxSkipsPerRun: 1000 });
  await backend.prefetch(requests);
}

export async function fuzzOp(backend: Backend, op: string, factory: CaseFactory, options: FuzzOptions): Promise<FuzzOutcome> {
  await prefetchDraws(backend, op, factory, options);
  const property = fc.asyncProperty(tapeArbitrary, async (tape) => {
    const t = await trial(backend, draw(op, factory, tape, options.seed), options.timeoutMs);
    fc.pre(t !== null);
    return t!.result.verdict === 'pass';
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
    maxSkipsPerRun: 1000,
  });
  const counts = { op, runs: details.numRuns, skipped: details.numSkips };
  if (!details.failed) return { ...counts, finding: null };
  if (!details.counterexample) return { ...counts, finding: null, problem: `fast-check stopped: ${String(details.errorInstance ?? 'too many skipped draws')}` };
  const [tape] = details.counterexample;
  const t = await trial(backend, draw(op, factory, tape, options.seed), options.timeoutMs);
  const finding = t && { ...t, path: details.counterexamplePath ?? '', shrinks: details.numShrinks };
  return { ...counts, finding };
}
