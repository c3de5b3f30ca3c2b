/**
 * `qconform merge`: the JSON reports of the N shards of one run (`--shard K/N --report ...`) back into the run's
 * data, as one unsharded run would have made it: the results in the selection's case order, the run info of the
 * first shard without the shard, started at the earliest start and finished at the latest finish, the backend
 * warnings and runner problems of all shards. Every report format is then rendered from that data
 * (write_reports.ts). Refused with a MergeError: a file that is not a shard report, shards of different runs
 * (backend, its CPU model, vectors, shard count, selection files or the run's cases differ), shards judged by other rules
 * (--strict-contract, the waiver file's content: run_info.judging), a shard given twice, a case in two
 * shards, a missing shard, a result off its fields (shard_result_fields.ts), a report whose results do not bear out its
 * counts, its `passed` or its shard (shard_consistency.ts), shards whose results together are not the run's cases.
 */
import { readSmallFile } from '../../vectors/vector_lines.js';
import { type CaseResult, locationParts } from '../results.js';
import { REPORT_FORMAT } from './json_report.js';
import type { RunInfo } from './run_info.js';
import { MAX_SHARDS, caseIdsDigest } from '../shard.js';
import { shardConsistencyProblem } from './shard_consistency.js';
import { resultFieldProblem } from './shard_result_fields.js';

/**
 * A shard's JSON report is read whole, as vector files are (vector_lines.ts readSmallFile: a FIFO, a device or a
 * directory is refused before it can block or stream). 256 MiB: a report of about a million cases, under V8's string
 * limit.
 */
export const MAX_SHARD_REPORT_BYTES = 256 * 1024 * 1024;

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

export interface RunData {
  readonly info: RunInfo;
  readonly results: CaseResult[];
  readonly problems: string[];
}

interface ShardReport extends RunData {
  readonly path: string;
  readonly shard: NonNullable<RunInfo['shard']>;
}

function readShardReport(path: string): ShardReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSmallFile(path, MAX_SHARD_REPORT_BYTES).toString('utf8'));
  } catch (e) {
    throw new MergeError(`${path}: cannot read a JSON report: ${(e as Error).message}`);
  }
  const r = parsed as { format?: unknown; run_info?: RunInfo; passed?: unknown; counts?: unknown; results?: unknown; runner_problems?: unknown };
  if (typeof r !== 'object' || r === null || r.format !== REPORT_FORMAT || typeof r.run_info !== 'object' || !Array.isArray(r.results)) {
    throw new MergeError(`${path}: not a qconform JSON report (format ${REPORT_FORMAT}, written by qconform run --report)`);
  }
  // a --fuzz run's cases are its own draws, not a selection's shares: its shard reports are read each on its own
  if (r.run_info.fuzz !== undefined) throw new MergeError(`${path}: a --fuzz report: fuzz runs are not merged (each --shard draws cases of its own; read each report)`);
  const shard = r.run_info.shard;
  if (!shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count) || !Array.isArray(shard.files)) {
    throw new MergeError(`${path}: not a shard report: run each part with --shard K/N --report FILE`);
  }
  if (!(shard.index >= 1 && shard.index <= shard.count && shard.count <= MAX_SHARDS) || !shard.files.every((f) => typeof f === 'string')) {
    throw new MergeError(`${path}: malformed shard report: run_info.shard: expected index K and count N with 1 <= K <= N <= ${MAX_SHARDS} and files a list of paths`);
  }
  if (!(Number.isInteger(shard.run_cases) && shard.run_cases >= 0) || typeof shard.run_cases_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(shard.run_cases_sha256)) {
    throw new MergeError(`${path}: malformed shard report: run_info.shard: expected run_cases, the whole run's case count, and run_cases_sha256, their ids' SHA-256 in hex (qconform run --shard writes them; a report of an older qconform lacks them: run that shard again)`);
  }
  r.results.forEach((result, i) => {
    const problem = resultFieldProblem(result);
    if (problem) throw new MergeError(`${path}: malformed shard report: results[${i}]: ${problem}`);
  });
  if (r.runner_problems !== undefined && !(Array.isArray(r.runner_problems) && r.runner_problems.every((p) => typeof p === 'string'))) {
    throw new MergeError(`${path}: malformed shard report: runner_problems: expected an array of strings`);
  }
  const problems = (r.runner_problems as string[] | undefined) ?? [];
  const results = r.results as CaseResult[];
  const inconsistent = shardConsistencyProblem({ shard, counts: r.counts, passed: r.passed, results, problems });
  if (inconsistent) throw new MergeError(`${path}: inconsistent shard report (shard ${shard.index}/${shard.count}): ${inconsistent}`);
  return { path, shard, info: r.run_info, results, problems };
}

/** What must be the same in every shard of one run. */
function runKey(r: ShardReport): string {
  const { backend, vectors } = r.info;
  const cases = [r.shard.run_cases, r.shard.run_cases_sha256];
  // the CPU model each shard's backend ran on (--cpu): shards on haswell and on the host are not one run
  const cpu = (r.info.backend_cpu as { model?: unknown } | undefined)?.model ?? null;
  return JSON.stringify({ backend: [backend.name, backend.version], cpu, vectors: [vectors.source, vectors.manifest_sha256, vectors.sets?.map((s) => s.manifest_sha256) ?? null], count: r.shard.count, files: r.shard.files, cases });
}

/**
 * The rules a shard's cases were judged by (run_info.ts JudgingRules), as merge compares them: --strict-contract and
 * the waiver file's content (its SHA-256, not its path: the shards may run on different machines).
 */
function judgingKey(r: ShardReport): string {
  const j = r.info.judging as Partial<RunInfo['judging']> | undefined;
  return JSON.stringify([j?.strict_contract ?? null, j?.waivers?.sha256 ?? null]);
}

function judgingText(r: ShardReport): string {
  const j = r.info.judging as Partial<RunInfo['judging']> | undefined;
  if (typeof j?.strict_contract !== 'boolean') return 'no record of its judging rules (a report of an older qconform: run that shard again)';
  const waivers = j.waivers ? `waiver file ${j.waivers.path} (SHA-256 ${String(j.waivers.sha256).slice(0, 12)}...)` : 'no waiver file';
  return `--strict-contract ${j.strict_contract ? 'on' : 'off'}, ${waivers}`;
}

/**
 * Why the shards' results together are not the run's cases (run_info.shard.run_cases and run_cases_sha256, which every
 * shard of the run records alike), or null: a result removed from a shard report together with its counts, which
 * shard_consistency.ts cannot see within one report.
 */
function coverageProblem(ids: readonly string[], shard: ShardReport['shard']): string | null {
  if (ids.length !== shard.run_cases) return `the shards' results hold ${ids.length} cases, the run has ${shard.run_cases} (run_info.shard.run_cases): results were removed from a report after the run`;
  if (caseIdsDigest(ids) !== shard.run_cases_sha256) return `the shards' results are not the run's ${shard.run_cases} cases (their ids' SHA-256 differs from run_info.shard.run_cases_sha256): results were edited after the run`;
  return null;
}

/** file:line as [file index in the selection, line], to put the cases back in the selection's order. */
function caseOrder(files: readonly string[]): (r: CaseResult) => [number, number] {
  const index = new Map(files.map((f, i) => [f, i]));
  return (r) => {
    const { file, line } = locationParts(r.location);
    return [index.get(file) ?? files.length, line];
  };
}

export function mergeShardReports(paths: readonly string[]): RunData {
  if (paths.length === 0) throw new MergeError('no reports to merge: give the JSON report of every shard');
  const shards = paths.map(readShardReport);
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    if (runKey(s) !== runKey(first)) {
      throw new MergeError(`${s.path} is shard ${s.shard.index}/${s.shard.count} of another run than ${first.path} (backend, its --cpu, vector set, shard count, selected files or the run's cases differ: --op, --scheme, --case, --all-cases or the backend's claims)`);
    }
    if (judgingKey(s) !== judgingKey(first)) {
      throw new MergeError(`${s.path} is shard ${s.shard.index}/${s.shard.count} of a run judged by other rules than ${first.path}: ${judgingText(s)}; ${first.path}: ${judgingText(first)} (the shards of one run take the same --strict-contract and waiver file)`);
    }
  }
  const byIndex = new Map<number, ShardReport>();
  for (const s of shards) {
    const seen = byIndex.get(s.shard.index);
    if (seen) throw new MergeError(`overlapping shards: shard ${s.shard.index}/${s.shard.count} is both ${seen.path} and ${s.path}`);
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length) throw new MergeError(`missing shards: ${missing.map((k) => `${k}/${first.shard.count}`).join(', ')} (${shards.length} of ${first.shard.count} given)`);
  const owner = new Map<string, string>();
  for (const s of shards) {
    for (const r of s.results) {
      const other = owner.get(r.id);
      if (other !== undefined) throw new MergeError(`overlapping shards: case ${r.id} is in ${other} and ${s.path}`);
      owner.set(r.id, s.path);
    }
  }
  const coverage = coverageProblem([...owner.keys()], first.shard);
  if (coverage) throw new MergeError(coverage);
  const order = caseOrder(first.shard.files);
  const results = shards
    .flatMap((s) => s.results)
    .map((r) => ({ r, at: order(r) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1])
    .map(({ r }) => r);
  const { shard: _, ...unsharded } = first.info;
  const finished = shards.map((s) => s.info.finished).filter((f): f is string => f !== undefined);
  const info: RunInfo = {
    ...unsharded,
    backend: { ...first.info.backend, warnings: shards.flatMap((s) => s.info.backend.warnings ?? []) },
    started: shards.map((s) => s.info.started).sort()[0]!,
    ...(finished.length ? { finished: finished.sort().at(-1)! } : {}),
  };
  return { info, results, problems: shards.flatMap((s) => s.problems) };
}
