/**
 * One drawn case of a fuzz run: its request (an id of its own: the op, the stream's seed and its fast-check path), whether
 * it is judged, and its result as a vector run's case result, with the fuzz path and the line that replays it.
 */
import type { CaseFactory } from '../../cases/builders.js';
import type { WireRequest } from '../../protocol/messages.js';
import type { VectorCase } from '../../vectors/vector_set.js';
import type { Backend } from '../../backends/backend.js';
import { unclaimedReason } from '../claims.js';
import type { CaseResult } from '../results.js';
import { judgeUnlessInterrupted } from '../run_suite.js';
import { schemeOf } from '../scheme.js';
import { referenceCase } from './reference_case.js';
import { fuzzReplayLine } from './replay_path.js';
import { TapeRandom } from './tape_random.js';

/** Where a fuzz stream's draw comes from, and how a case of it is judged. */
export interface FuzzStream {
  readonly op: string;
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** The --backend argument, for the replay lines. */
  readonly backendSpec: string;
  readonly interrupted?: AbortSignal;
}

/**
 * The id of the case at fast-check path `path`: `<op>_fuzz-s<seed>-<draw>` for a drawn case, and for a shrink attempt
 * `...-<draw>-shrink<step>.<candidate>` (the path's length less one, and its last number). Unique within a run: ops and
 * streams (seeds) differ, and the calls of one property do too, since fast-check shrinks one failing draw, along one
 * chain (a step's path is the failing attempt of the step before, then the candidate). A replay of the path gives the
 * same id (fuzz_paths.ts numbers a replay as the run did).
 */
export function fuzzCaseId(op: string, seed: number, path: string): string {
  const parts = path.split(':');
  const shrink = parts.length > 1 ? `-shrink${parts.length - 1}.${parts.at(-1)}` : '';
  return `${op}_fuzz-s${seed}-${parts[0]}${shrink}`;
}

/**
 * The id the minimal case of a mismatch is printed with as a vector line, ready to commit: a vector file's form
 * (`<name>-<5 digits>`, vectors/schema/case.schema.json), from the op's name and the seed, the same in the run and its replay.
 */
export function vectorLineId(op: string, seed: number): string {
  return `${op.split('@')[0]}_fuzz-${String(Math.abs(seed) % 100000).padStart(5, '0')}`;
}

export function drawRequest(stream: FuzzStream, factory: CaseFactory, tape: readonly number[], path: string): WireRequest {
  return { id: fuzzCaseId(stream.op, stream.seed, path), ...factory(new TapeRandom(tape), 0) };
}

/** The drawn case with the exact reference's expectation, or why it is not judged: the backend does not claim it, or the reference rejects it by a rule the real software lacks. */
export function judgeable(backend: Backend, request: WireRequest): { case: VectorCase } | { skip: string } {
  const unclaimed = unclaimedReason(backend.capabilities, request);
  if (unclaimed) return { skip: unclaimed };
  const expected = referenceCase(request);
  return expected ? { case: expected } : { skip: 'the reference rejects it by a contract rule the real software lacks (CONTRACT_REJECTIONS)' };
}

/**
 * A drawn case: `skip` (never asked) with why; or asked, with its result (verdict `not-run` when the backend's library did
 * not run it, `error` "run interrupted" when SIGINT/SIGTERM came while it ran: `interrupted`).
 */
export type Trial = { readonly skip: string } | { readonly case: VectorCase; readonly result: CaseResult; readonly interrupted: boolean };

export async function trial(backend: Backend, stream: FuzzStream, request: WireRequest, path: string): Promise<Trial> {
  const j = judgeable(backend, request);
  if ('skip' in j) return j;
  const selected = { case: j.case, scheme: schemeOf(j.case), file: '<fuzz>', line: 0 };
  const suite = { timeoutMs: stream.timeoutMs, strictContract: true, ...(stream.interrupted ? { interrupted: stream.interrupted } : {}) };
  const { result, judged } = await judgeUnlessInterrupted(backend, selected, suite);
  const replay = fuzzReplayLine(stream.backendSpec, stream.op, stream.runs, stream.seed, path);
  return { case: j.case, result: { ...result, location: `fuzz seed ${stream.seed}, path ${path}`, fuzz: { path }, replay }, interrupted: !judged };
}
