/** Fuzz every catalogue op the backend claims (narrowed by --op), printing each minimal failing case. */
import type { CaseFactory } from '../../cases/builders.js';
import { CATALOG } from '../../cases/catalog.js';
import { TORCH_LINEAR_FUZZ_CATALOG } from '../../cases/torch_linear_catalog.js';
import type { Backend } from '../../backends/backend.js';
import { type FuzzOutcome, fuzzOp } from './fuzz_op.js';
import { consoleText } from '../reports/safe_text.js';
import { type Shard, hash32, shareOf } from '../shard.js';

export interface FuzzRunOptions {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly ops?: readonly string[];
  readonly path?: string;
  /** The --backend argument, for the replay line. */
  readonly backendSpec: string;
  /** The generators to draw from (default: the torch catalogues, conv and linear; built-ins with their own vector set bring theirs). */
  readonly catalog?: ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;
}

/** "--seed S": an integer, or any other text hashed (FNV-1a) to one. */
export function fuzzSeed(text: string): number {
  if (/^-?\d+$/.test(text)) return Number(text) | 0;
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return h | 0;
}

/**
 * One op's lines: agreement, a MISMATCH with its minimal case and replay line, or, when fast-check stopped early,
 * how many of the requested cases were judged: NOTHING JUDGED (every draw was outside the backend's claims or rejected
 * by the contract, with the most frequent reasons) or INCOMPLETE. The last three make the run fail (fuzzBackend).
 */
function report(o: FuzzOutcome, options: FuzzRunOptions, log: (s: string) => void): void {
  if (!o.finding) {
    const reasons = o.skipReasons.length ? `; skipped because: ${o.skipReasons.map(consoleText).join('; ')}` : '';
    if (o.runs === 0) log(`fuzz ${o.op}: NOTHING JUDGED: none of ${o.skipped} draws is within the backend's claims and the contract${reasons}${o.problem ? ` (${o.problem})` : ''}`);
    else if (o.problem) log(`fuzz ${o.op}: INCOMPLETE: ${o.runs} of ${options.runs} cases judged, and they agree with the reference (${o.skipped} draws skipped${reasons}); ${o.problem}`);
    else log(`fuzz ${o.op}: ${o.runs} fresh cases agree with the reference${o.skipped ? ` (${o.skipped} draws skipped: outside the claims or rejected by the contract)` : ''}`);
    return;
  }
  const { finding } = o;
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  log(`fuzz ${o.op}: MISMATCH after ${o.runs} cases, shrunk ${finding.shrinks} times`);
  log(`  ${finding.result.verdict}: ${consoleText(finding.result.detail ?? '')}`);
  log('  minimal case as a vector line (expectation: the exact reference):');
  log(`  ${JSON.stringify(finding.case)}`);
  log('  replay:');
  log(`  npx qconform run --backend ${quote(options.backendSpec)} --op ${o.op} --fuzz ${options.runs} --seed ${options.seed} --replay ${quote(finding.path)}`);
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

/**
 * --fuzz with --jobs and --shard: `options.runs` cases per op in all, split over the shards and, within a shard, over
 * its backend instances, each stream with its own seed (fuzzStreams). Each stream's lines are printed together, in
 * stream order. With --replay, one stream: the seed and runs as given (the replay line's). True when nothing mismatched.
 */
export async function fuzzBackends(backends: readonly Backend[], options: FuzzRunOptions, shard: Shard | undefined, log: (s: string) => void): Promise<boolean> {
  if (options.path !== undefined || (backends.length === 1 && !shard)) return fuzzBackend(backends[0]!, options, log);
  const streams = fuzzStreams(options.runs, options.seed, shard, backends.length);
  const outcomes = await Promise.all(
    streams.map(async (stream, w) => {
      const lines: string[] = [];
      if (stream.runs === 0) return { clean: true, lines };
      lines.push(`stream ${w + 1}/${streams.length}: ${stream.runs} cases per op, seed ${stream.seed}`);
      const clean = await fuzzBackend(backends[w]!, { ...options, ...stream }, (s) => lines.push(`  ${s}`));
      return { clean, lines };
    }),
  );
  for (const o of outcomes) for (const line of o.lines) log(line);
  return outcomes.every((o) => o.clean);
}

/**
 * Returns true when every selected op judged its cases and none mismatched: a run that judged nothing (no catalogue op
 * is claimed and selected, or an op's every draw was skipped) fails, so a fuzz run that cannot fail never passes.
 */
export async function fuzzBackend(backend: Backend, options: FuzzRunOptions, log: (s: string) => void): Promise<boolean> {
  const entries = (options.catalog ?? [...CATALOG, ...TORCH_LINEAR_FUZZ_CATALOG]).filter(
    ({ op }) => backend.capabilities.ops.includes(op) && (!options.ops?.length || options.ops.some((o) => o === op || o === op.split('@')[0])),
  );
  if (entries.length === 0) {
    log(`fuzz: NOTHING JUDGED: no op of the fuzz catalogue is among the backend's ops${options.ops?.length ? ` and selected by --op ${options.ops.map(consoleText).join(' ')}` : ''}`);
    return false;
  }
  let clean = true;
  for (const { op, factory } of entries) {
    const outcome = await fuzzOp(backend, op, factory, options);
    report(outcome, options, log);
    if (outcome.finding || outcome.problem || outcome.runs === 0) clean = false;
  }
  return clean;
}
