/**
 * Fuzz every catalogue op the backend claims (narrowed by --op), printing each minimal failing case, and keep every case
 * the backend was asked as a result for the reports (with the run's problems: ops that judged nothing or too little).
 */
import type { CaseFactory } from '../../cases/builders.js';
import { CATALOG } from '../../cases/catalog.js';
import { TORCH_LINEAR_FUZZ_CATALOG } from '../../cases/torch_linear_catalog.js';
import type { Backend } from '../../backends/backend.js';
import { type FuzzOutcome, fuzzOp } from './fuzz_op.js';
import { vectorLineId } from './fuzz_trial.js';
import { fuzzReplayLine } from './replay_path.js';
import { consoleText } from '../reports/safe_text.js';
import { type CaseResult, runPassed } from '../results.js';
import { answeredTwice } from '../run_suite.js';
import { opSelectedBy, refuseUnmatched, unmatchedValues } from '../selection_filter.js';
import { type Shard, hash32, shareOf } from '../shard.js';

export interface FuzzRunOptions {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly ops?: readonly string[];
  /** --replay: fast-check's path of one case (validated before the run: replay_path.ts replayUsageProblem). */
  readonly path?: string;
  /** The --backend argument, for the replay line. */
  readonly backendSpec: string;
  /** The generators to draw from (default: the torch catalogues, conv and linear; built-ins with their own vector set bring theirs). */
  readonly catalog?: ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;
  /** Aborted at SIGINT/SIGTERM: the case running gets `error` "run interrupted" and no further case or op runs. */
  readonly interrupted?: AbortSignal;
}

/** What a fuzz run (or one stream of it) found. */
export interface FuzzRunResult {
  /** Every case the backend was asked (shrink attempts too), op after op; a case it answered twice, differently, is an `error`. */
  readonly results: CaseResult[];
  /** What fails the run outside any case: an op that judged nothing or too little (NOTHING JUDGED, INCOMPLETE), an interruption. */
  readonly problems: string[];
  /** True when every selected op judged its cases and none failed: results.ts runPassed of the two above. */
  readonly clean: boolean;
}

/**
 * One op's lines: agreement, a MISMATCH with its minimal case and replay line, or, when fast-check stopped early,
 * how many of the requested cases were judged: NOTHING JUDGED (every draw was outside the backend's claims or rejected
 * by the contract, with the most frequent reasons) or INCOMPLETE; or INTERRUPTED by a signal. Returns the line of the
 * last three (a runner problem, which fails the run without a failing case) or null. A replay says what its case gave.
 */
function report(o: FuzzOutcome, options: FuzzRunOptions, log: (s: string) => void): string | null {
  const problem = (line: string) => (log(line), line);
  if (o.interrupted) return problem(`fuzz ${o.op}: INTERRUPTED (${String(options.interrupted?.reason ?? 'SIGINT')}) after ${o.runs} judged cases: the op was not fuzzed to the end`);
  if (!o.finding) {
    const reasons = o.skipReasons.length ? `; skipped because: ${o.skipReasons.map(consoleText).join('; ')}` : '';
    if (options.path !== undefined && o.runs === 0) return problem(`fuzz ${o.op}: NOTHING JUDGED: the case at --replay ${options.path} was skipped${reasons}`);
    if (o.runs === 0) return problem(`fuzz ${o.op}: NOTHING JUDGED: none of ${o.skipped} draws is within the backend's claims and the contract${reasons}${o.problem ? ` (${o.problem})` : ''}`);
    if (o.problem) return problem(`fuzz ${o.op}: INCOMPLETE: ${o.runs} of ${options.runs} cases judged, and they agree with the reference (${o.skipped} draws skipped${reasons}); ${o.problem}`);
    if (options.path !== undefined) log(`fuzz ${o.op}: the case at --replay ${options.path} agrees with the reference`);
    else log(`fuzz ${o.op}: ${o.runs} fresh cases agree with the reference${o.skipped ? ` (${o.skipped} draws skipped: outside the claims or rejected by the contract)` : ''}`);
    return null;
  }
  const { finding } = o;
  log(`fuzz ${o.op}: MISMATCH after ${o.runs} cases, shrunk ${finding.shrinks} times`);
  log(`  ${finding.result.verdict}: ${consoleText(finding.result.detail ?? '')}`);
  log('  minimal case as a vector line (expectation: the exact reference):');
  log(`  ${JSON.stringify({ ...finding.case, id: vectorLineId(o.op, options.seed) })}`);
  log('  replay:');
  log(`  ${fuzzReplayLine(options.backendSpec, o.op, options.runs, options.seed, finding.path)}`);
  return null;
}

/**
 * A case the backend answered a second time, differently (Backend.contradicted, as a vector run finds it: run_suite.ts),
 * is an `error` whatever its first answer was judged; each is printed with its replay line.
 */
function withContradictions(backend: Backend, results: readonly CaseResult[], log: (s: string) => void): CaseResult[] {
  const contradicted = backend.contradicted;
  if (!contradicted?.size) return [...results];
  return results.map((r) => {
    const second = contradicted.get(r.id);
    if (second === undefined) return r;
    const error = answeredTwice(r, second);
    log(`fuzz ${r.op}: ERROR: case ${consoleText(r.id)}: ${consoleText(error.detail ?? '')}`);
    if (r.replay) log(`  replay: ${r.replay}`);
    return error;
  });
}

/**
 * The seed of one fuzz stream: the base seed itself for a run of one stream (no --shard, --jobs 1), else a hash of the
 * base seed, the shard and the worker, so every (shard, worker) draws its own cases; a mismatch's replay line names the
 * stream's seed and run count, which replay it in a single process.
 */
export function streamSeed(base: number, shard: Shard | undefined, worker: number, workers: number): number {
  if (!shard && workers === 1) return base;
  return hash32(`qconform-fuzz:${base}:${shard ? `${shard.index}/${shard.count}` : '1/1'}:${worker}/${workers}`) | 0;
}

/** The streams of a --fuzz run: this shard's share of the runs per op, split among the workers, each with its own seed. */
export function fuzzStreams(runs: number, seed: number, shard: Shard | undefined, workers: number): Array<{ runs: number; seed: number }> {
  const shardRuns = shard ? shareOf(runs, shard.count, shard.index - 1) : runs;
  return Array.from({ length: workers }, (_, w) => ({ runs: shareOf(shardRuns, workers, w), seed: streamSeed(seed, shard, w, workers) }));
}

/** A replay, or a run of one instance and no --shard, is one stream: the runs and seed as given. */
const isOneStream = (options: FuzzRunOptions, shard: Shard | undefined, workers: number) => options.path !== undefined || (workers === 1 && !shard);

/** The streams fuzzBackends runs, for the reports' run info. */
export function runStreams(options: FuzzRunOptions, shard: Shard | undefined, workers: number): Array<{ runs: number; seed: number }> {
  return isOneStream(options, shard, workers) ? [{ runs: options.runs, seed: options.seed }] : fuzzStreams(options.runs, options.seed, shard, workers).filter((s) => s.runs > 0);
}

/**
 * --fuzz with --jobs and --shard: `options.runs` cases per op in all, split over the shards and, within a shard, over
 * its backend instances, each stream with its own seed (fuzzStreams). Each stream's lines are printed together, in
 * stream order, and its results follow the previous stream's. With --replay, one stream: the seed and runs as given
 * (the replay line's).
 */
export async function fuzzBackends(backends: readonly Backend[], options: FuzzRunOptions, shard: Shard | undefined, log: (s: string) => void): Promise<FuzzRunResult> {
  if (isOneStream(options, shard, backends.length)) return fuzzBackend(backends[0]!, options, log);
  const streams = fuzzStreams(options.runs, options.seed, shard, backends.length);
  const outcomes = await Promise.all(
    streams.map(async (stream, w) => {
      const lines: string[] = [];
      if (stream.runs === 0) return { results: [], problems: [], lines };
      const name = `stream ${w + 1}/${streams.length}`;
      lines.push(`${name}: ${stream.runs} cases per op, seed ${stream.seed}`);
      const found = await fuzzBackend(backends[w]!, { ...options, ...stream }, (s) => lines.push(`  ${s}`));
      return { results: found.results, problems: found.problems.map((p) => `${name}: ${p}`), lines };
    }),
  );
  for (const o of outcomes) for (const line of o.lines) log(line);
  const results = outcomes.flatMap((o) => o.results);
  const problems = outcomes.flatMap((o) => o.problems);
  return { results, problems, clean: runPassed(results, problems) };
}

/** The generators a run draws from: a built-in's own, else the torch catalogues (conv and linear). */
export function fuzzCatalogOf(catalog: FuzzRunOptions['catalog']): NonNullable<FuzzRunOptions['catalog']> {
  return catalog ?? [...CATALOG, ...TORCH_LINEAR_FUZZ_CATALOG];
}

/**
 * --op values of a --fuzz run that name no op of its catalogue: a usage error (UnmatchedSelection), before the backend
 * starts. (An op of the catalogue that the backend does not claim is found once it started: NOTHING JUDGED.)
 */
export function refuseUnmatchedFuzzOps(ops: readonly string[] | undefined, catalog: FuzzRunOptions['catalog'], backendSpec: string): void {
  refuseUnmatched(unmatchedValues('--op', ops, new Set(fuzzCatalogOf(catalog).map((e) => e.op))), `op of the fuzz catalogue of ${backendSpec}`);
}

/**
 * Fuzzes every selected op of the catalogue the backend claims. The run is clean when every op judged its cases and
 * none failed: a run that judged nothing (no catalogue op is claimed and selected, or an op's every draw was skipped)
 * fails, so a fuzz run that cannot fail never passes.
 */
export async function fuzzBackend(backend: Backend, options: FuzzRunOptions, log: (s: string) => void): Promise<FuzzRunResult> {
  const entries = fuzzCatalogOf(options.catalog).filter(({ op }) => backend.capabilities.ops.includes(op) && (!options.ops?.length || options.ops.some((o) => opSelectedBy(op, o))));
  if (entries.length === 0) {
    const nothing = `fuzz: NOTHING JUDGED: no op of the fuzz catalogue is among the backend's ops${options.ops?.length ? ` and selected by --op ${options.ops.map(consoleText).join(' ')}` : ''}`;
    log(nothing);
    return { results: [], problems: [nothing], clean: false };
  }
  const asked: CaseResult[] = [];
  const problems: string[] = [];
  for (const { op, factory } of entries) {
    const outcome = await fuzzOp(backend, op, factory, options);
    asked.push(...outcome.results);
    const problem = report(outcome, options, log);
    if (problem !== null) problems.push(problem);
    if (outcome.interrupted) break;
  }
  const results = withContradictions(backend, asked, log);
  return { results, problems, clean: runPassed(results, problems) };
}
