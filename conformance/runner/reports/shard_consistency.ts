/**
 * What a shard report says about itself that its results must bear out, checked before `qconform merge` joins it: the
 * tallies (`counts`) and `passed` that the run wrote from its results, and the shard itself, since a case belongs to
 * the shard its id hashes to (shard.ts inShard) and lies in one of the selection's files. A result removed from,
 * added to or edited in a report after the run breaks one of these, and would otherwise merge as if it never existed.
 */
import { type CaseResult, VERDICTS, countVerdicts, locationParts, runPassed } from '../results.js';
import { hash32, inShard } from '../shard.js';
import type { RunInfo } from './run_info.js';

export interface ShardReportClaims {
  readonly shard: NonNullable<RunInfo['shard']>;
  /** The report's `counts` and `passed`, as read (unchecked). */
  readonly counts: unknown;
  readonly passed: unknown;
  readonly results: readonly CaseResult[];
  readonly problems: readonly string[];
}

/** How `counts` differs from the tallies of the results, e.g. "pass 821 (its results hold 820)", or null. */
function countsProblem(counts: unknown, results: readonly CaseResult[]): string | null {
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) return 'counts: missing or not an object';
  const claimed = counts as Record<string, unknown>;
  const tallied = countVerdicts(results);
  const unknown = Object.keys(claimed).filter((k) => !(VERDICTS as readonly string[]).includes(k));
  if (unknown.length) return `counts: unknown verdict ${JSON.stringify(unknown[0])}`;
  const wrong = VERDICTS.filter((v) => claimed[v] !== tallied[v]).map((v) => `${v} ${JSON.stringify(claimed[v]) ?? 'missing'} (its results hold ${tallied[v]})`);
  return wrong.length ? `counts say ${wrong.join(', ')}` : null;
}

/**
 * Why a shard report's results cannot be the ones its run wrote, or null when they are consistent with its counts,
 * its `passed`, its shard and its selected files, with no case twice.
 */
export function shardConsistencyProblem(r: ShardReportClaims): string | null {
  const counts = countsProblem(r.counts, r.results);
  if (counts) return `${counts}: a result was removed, added or edited after the run`;
  const passed = runPassed(r.results, r.problems);
  if (r.passed !== passed) return `passed is ${JSON.stringify(r.passed) ?? 'missing'}, but its results and runner problems make it ${passed}`;
  const files = new Set(r.shard.files);
  const seen = new Map<string, number>();
  for (const [i, result] of r.results.entries()) {
    if (!inShard(result.id, r.shard)) {
      return `results[${i}]: case ${JSON.stringify(result.id)} belongs to shard ${(hash32(result.id) % r.shard.count) + 1}/${r.shard.count}, not ${r.shard.index}/${r.shard.count}`;
    }
    const { file } = locationParts(result.location);
    if (!files.has(file)) return `results[${i}]: location ${JSON.stringify(result.location)} is in none of the run's selected files (run_info.shard.files)`;
    const before = seen.get(result.id);
    if (before !== undefined) return `results[${i}]: case ${JSON.stringify(result.id)} is also results[${before}]`;
    seen.set(result.id, i);
  }
  return null;
}
