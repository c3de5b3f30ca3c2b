/**
 * `qconform run`: start the backend, select and run the golden cases, apply waivers, print the summary
 * and write the reports; or, with --fuzz, judge fresh generated cases against the reference. Exit codes:
 * 0 every case passed, is waived or is not-run, not all not-run (and fuzzing found nothing), 1 otherwise, 2 a usage error or the
 * vectors, waivers, backend or report destinations could not be loaded or used, 3 the backend is not
 * available here (the reports are still written, every case `error` "backend unavailable").
 * By default a run holds only the cases the backend claims; --all-cases adds the others as `unsupported`.
 */
import { type Backend, describeThrown } from '../backends/backend.js';
import { BUILTIN_BACKENDS } from '../backends/registry.js';
import { boundedText } from './backend_text.js';
import { unclaimedReason } from './claims.js';
import { fuzzBackends, fuzzCatalogOf, refuseUnmatchedFuzzOps, runStreams } from './fuzz/fuzz_run.js';
import { fuzzSeed } from './fuzz/fuzz_seed.js';
import { replayUsageProblem } from './fuzz/replay_path.js';
import { modeOptionsProblem } from './mode_options.js';
import { progressBar } from './progress.js';
import { consoleSummary } from './reports/console_summary.js';
import { type FuzzRunInfo, type JudgingRules, type RunInfo, runInfo } from './reports/run_info.js';
import { writeRunReports } from './reports/write_reports.js';
import { consoleText } from './reports/safe_text.js';
import { BackendUnavailable, CpuNotSupported, NoBackendGiven, type ResolvedBackend, resolveBackend, splitCommand } from '../backends/resolve_backend.js';
import { CommandNotRunnable } from '../backends/cpu/qemu_program.js';
import { type CpuModel, UnknownCpuModel, cpuModel } from '../backends/cpu/cpu_models.js';
import { BackendProcessError } from '../protocol/protocol_client.js';
import { INTERRUPTED, type Interruption, catchInterrupts, endAbandonedStarts, unlessInterrupted } from './interruption.js';
import { interruptedStart, isUnstarted, unstartedBackend } from './unstarted_backend.js';
import { UnmatchedSelection } from './selection_filter.js';
import { type CaseResult, NOT_FAILING_VERDICTS, runPassed } from './results.js';
import { type ReadPath, destinationsProblem } from './report_destinations.js';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runSuiteOn } from './run_suite.js';
import { type Shard, caseIdsDigest, inShard } from './shard.js';
import { VectorFileError } from '../vectors/vector_set.js';
import { type SelectedCase, type VectorSelection, identityOf, selectCases } from './vector_selection.js';
import { NO_WAIVERS, type WaiverFile, readWaiverFile, unmatchedWaivers } from './waivers.js';
import type { WireChoice } from '../protocol/wire_negotiation.js';

export interface RunCommandOptions {
  backend: string;
  /** one or more vector directories or .jsonl files, run in order; default: the backend's own sets (resolve_backend.ts defaultVectors) */
  vectors?: string | readonly string[];
  op?: string[];
  scheme?: string[];
  case?: string[];
  waivers?: string;
  /** per-case timeout in ms, validated by the CLI (options.ts) */
  timeout: number;
  report?: string;
  junit?: string;
  /** self-contained HTML report (reports/html_report.ts) */
  html?: string;
  strictContract?: boolean;
  /** also run the cases outside the backend's claims, each `unsupported` (which fails the run) */
  allCases?: boolean;
  /** the default; accepted for compatibility */
  claimedOnly?: boolean;
  /** an unavailable backend always exits 3; accepted for compatibility */
  requireAvailable?: boolean;
  /** the CPU model the backend runs on (backends/cpu/cpu_models.ts): host (default), haswell, nehalem, arm64 */
  cpu?: string;
  fuzz?: number;
  seed?: string;
  replay?: string;
  /** --jobs: instances of the backend run at once (default 1) */
  jobs?: number;
  /** --shard K/N, parsed by the CLI (shard.ts parseShard) */
  shard?: Shard;
  /** --wire: the tensor encoding spoken to a command backend (protocol/wire_negotiation.ts); default auto */
  wire?: WireChoice;
}

const log = (s: string) => console.log(s);
export const EXIT_UNAVAILABLE = 3;

/** The backend started, INTERRUPTED when SIGINT/SIGTERM came first, the built-in not available here, or an exit code. */
async function startBackend(o: RunCommandOptions, resolved: ResolvedBackend, runOps: readonly string[], interrupted: AbortSignal): Promise<Backend | typeof INTERRUPTED | BackendUnavailable | number> {
  try {
    return await unlessInterrupted(() => resolved.start(), interrupted);
  } catch (e) {
    if (e instanceof BackendUnavailable) return e;
    const names = BUILTIN_BACKENDS.map((b) => b.name).join(', ');
    console.error(`error: cannot start backend ${o.backend}: ${consoleText((e as Error).message)}\n(--backend takes a built-in name (${names}), a .ts/.js module, or a command)`);
    // a process that would not start: every case still gets a verdict and the reports are written (exit 2)
    return e instanceof BackendProcessError && o.fuzz === undefined ? unstartedBackend(o.backend, runOps, e) : 2;
  }
}

/** The cases of the vector sets that --op, --scheme and --case select (each of their values must select some: UnmatchedSelection). */
function select(o: RunCommandOptions, resolved: ResolvedBackend): VectorSelection {
  const given = o.vectors === undefined ? [] : [o.vectors].flat();
  return selectCases(given.length ? given : resolved.defaultVectors, { ops: o.op, schemes: o.scheme, ids: o.case });
}

/** Rejections nobody handled while the run was going: each fails the run, in the reports and the exit code alike. */
function watchUnhandledRejections(): { problems: string[]; stop(): void } {
  const problems: string[] = [];
  const onRejection = (reason: unknown) => {
    const text = `unhandled promise rejection during the run: ${describeThrown(reason)}`;
    problems.push(text);
    console.error(`error: ${consoleText(text)}`);
  };
  process.on('unhandledRejection', onRejection);
  return { problems, stop: () => process.off('unhandledRejection', onRejection) };
}

function writeReports(o: RunCommandOptions, info: RunInfo, results: readonly CaseResult[], problems: readonly string[]): void {
  writeRunReports({ ...o, backend: o.backend }, info, results, problems);
}

/**
 * The selection, narrowed to this machine's part with --shard; the run info then records the shard, the files' order and
 * the whole run's cases over every part (`runCases`: those of the selection that get a verdict), by number and digest.
 */
function shardOf(o: RunCommandOptions, selection: VectorSelection, runCases: readonly SelectedCase[]): { selection: VectorSelection; shard?: RunInfo['shard'] } {
  if (!o.shard) return { selection };
  const shard = o.shard;
  const files = [...new Set(selection.cases.map((s) => s.file))];
  const whole = { run_cases: runCases.length, run_cases_sha256: caseIdsDigest(runCases.map((s) => identityOf(s).id)) };
  return { selection: { ...selection, cases: selection.cases.filter((s) => inShard(identityOf(s).id, shard)) }, shard: { ...shard, files, ...whole } };
}

/**
 * --jobs N: up to N-1 more instances of the backend, each in its own process or worker. When one cannot start, the run
 * goes on with the instances that did (the verdicts do not depend on how many run at once), with a warning; when
 * SIGINT/SIGTERM comes while one starts, with those started so far (every case then gets `error` "run interrupted").
 */
async function startJobs(o: RunCommandOptions, resolved: ResolvedBackend, interrupted: AbortSignal): Promise<Backend[]> {
  const started: Backend[] = [];
  try {
    for (let j = 1; j < (o.jobs ?? 1); j++) {
      const job = await unlessInterrupted(() => (resolved.startJob ?? resolved.start)(), interrupted);
      if (job === INTERRUPTED) break;
      started.push(job);
    }
  } catch (e) {
    console.error(`warning: cannot start instance ${started.length + 2} of backend ${o.backend} for --jobs ${o.jobs}: ${consoleText(describeThrown(e))}; running ${started.length + 1} instance(s)`);
  }
  return started;
}

/**
 * The rules of judging a run's reports record (run_info.ts JudgingRules): --strict-contract and the waiver file, with
 * its waived ids that name no case of the loaded sets (nor of the backend's sets on its other CPUs), each said once on stderr (a warning: the run goes on).
 */
function judgingRules(o: RunCommandOptions, resolved: ResolvedBackend, waiverFile: WaiverFile | null, selection: VectorSelection): JudgingRules {
  if (!waiverFile) return { strict_contract: o.strictContract ?? false, waivers: null };
  // a backend's waivers are written for its sets on every CPU it runs on, not only the ones loaded
  const loaded = new Set(selection.sets.map((s) => resolve(s.source)));
  const writtenFor = (resolved.waiverVectors ?? []).filter((v) => !loaded.has(resolve(v)));
  const unmatched = unmatchedWaivers(waiverFile.waivers, selection.ids, writtenFor);
  if (unmatched.length) {
    const shown = unmatched.slice(0, 20).join(', ') + (unmatched.length > 20 ? `, ... (${unmatched.length - 20} more)` : '');
    console.error(consoleText(`warning: waiver file ${waiverFile.path}: ${unmatched.length} waived id${unmatched.length === 1 ? '' : 's'} name${unmatched.length === 1 ? 's' : ''} no case of the loaded vector sets (a misspelt id waives nothing; run_info.judging.waivers.unmatched_ids): ${shown}`));
  }
  return { strict_contract: o.strictContract ?? false, waivers: { path: waiverFile.path, sha256: waiverFile.sha256, unmatched_ids: unmatched } };
}

/** What the reports name as the backend of a run whose built-in is not available here. */
function placeholderOf(unavailable: BackendUnavailable): Backend {
  return { name: unavailable.backend, version: 'unavailable', capabilities: { ops: [] }, info: { install: unavailable.install }, run: () => Promise.reject(new Error('unavailable')) };
}

/** An unavailable built-in: every selected case is an `error` in the reports, and the run exits 3. */
function reportUnavailable(unavailable: BackendUnavailable, o: RunCommandOptions, resolved: ResolvedBackend, full: VectorSelection, cpu: CpuModel, waiverFile: WaiverFile | null): number {
  console.error(`UNAVAILABLE: ${unavailable.message}`);
  const { selection, shard } = shardOf(o, full, full.cases);
  const results: CaseResult[] = selection.cases.map((s) => ({
    ...identityOf(s),
    scheme: s.scheme,
    ...(s.set ? { set: s.set } : {}),
    verdict: 'error',
    detail: `backend unavailable: ${unavailable.reason}`,
    location: `${s.file}:${s.line}`,
    ms: 0,
  }));
  const info = { ...runInfo(placeholderOf(unavailable), selection, new Date(), cpu, judgingRules(o, resolved, waiverFile, full)), finished: new Date().toISOString(), ...(shard ? { shard } : {}) };
  writeReports(o, info, results, []);
  log(`${unavailable.backend} is not available here: ${selection.cases.length} cases not run (exit ${EXIT_UNAVAILABLE}). Install it with: ${unavailable.install}`);
  return EXIT_UNAVAILABLE;
}

/** The backends' warnings, after the verdicts (runVectors, runFuzz). */
function logWarnings(warnings: readonly string[]): void {
  if (warnings.length) log(`backend warnings (output that belongs to no pending case; the verdicts above are unaffected but for a case answered twice, differently, which is an error):\n${warnings.map((w) => `  ${consoleText(w)}`).join('\n')}`);
}

async function runVectors(backends: readonly [Backend, ...Backend[]], o: RunCommandOptions, resolved: ResolvedBackend, full: VectorSelection, cpu: CpuModel, problems: readonly string[], waiverFile: WaiverFile | null, interrupted?: AbortSignal): Promise<boolean> {
  const started = new Date();
  const [backend] = backends;
  const judging = judgingRules(o, resolved, waiverFile, full);
  const inRun = (s: SelectedCase) => o.allCases === true || !unclaimedReason(backend.capabilities, s.case);
  const runCases = full.cases.filter(inRun);
  const { selection, shard } = shardOf(o, full, runCases);
  // the shard's part of the run's cases (shardOf keeps the selection's case objects: the claims are asked once per case)
  const inRunSet = new Set(runCases);
  const cases = selection.cases.filter((s) => inRunSet.has(s));
  const leftOut = selection.cases.length - cases.length;
  if (leftOut > 0) log(`${leftOut} of ${selection.cases.length} selected cases are outside ${consoleText(backend.name)}'s claims and were left out (--all-cases runs them as unsupported)`);
  // a shard may hold none of the run's cases; a run (every shard of it) with none to run fails
  if (cases.length === 0 && !(shard && runCases.length > 0)) {
    // still reported (a CI job that reads the JUnit file sees the failed run, not a missing file)
    const nothing = `no cases to run: the selection from ${selection.source} is empty${leftOut ? ` or outside ${backend.name}'s claims` : ''}`;
    console.error(consoleText(nothing));
    const info: RunInfo = { ...runInfo(backend, { ...selection, cases }, started, cpu, judging), finished: new Date().toISOString(), ...(shard ? { shard } : {}) };
    writeReports(o, info, [], [...problems, nothing]);
    return false;
  }
  const progress = progressBar(consoleText(backend.name), cases.length);
  let notOk = 0;
  const results = await runSuiteOn(backends, cases, {
    timeoutMs: o.timeout,
    strictContract: o.strictContract ?? false,
    knownSchemes: [...new Set(selection.cases.map((s) => s.scheme))],
    waivers: waiverFile?.waivers ?? NO_WAIVERS,
    ...(interrupted ? { interrupted } : {}),
    onResult: (r, done) => {
      if (!NOT_FAILING_VERDICTS.has(r.verdict)) notOk++;
      progress.update(done, notOk);
    },
  });
  progress.finish();
  const warnings = backends.flatMap((b) => b.warnings ?? []).map((w) => boundedText(w));
  const base = runInfo(backend, { ...selection, cases }, started, cpu, judging);
  const info: RunInfo = { ...base, backend: { ...base.backend, warnings }, finished: new Date().toISOString(), ...(shard ? { shard } : {}) };
  log(consoleSummary(info, results, problems));
  logWarnings(warnings);
  writeReports(o, info, results, problems); // after the summary: a report that cannot be written loses nothing else
  return runPassed(results, problems);
}

/**
 * --fuzz: every case the backend was asked (shrink attempts too) is a result of the reports, with its fuzz path and replay
 * line, the shrunk minimal case marked; ops that judged nothing or too little are runner problems (fuzz_run.ts), so the
 * reports' `passed` and the exit code agree. A case answered twice, differently, is an `error`, as in a vector run.
 */
async function runFuzz(backends: readonly [Backend, ...Backend[]], o: RunCommandOptions & { fuzz: number }, resolved: ResolvedBackend, cpu: CpuModel, problems: readonly string[], interrupted?: AbortSignal): Promise<boolean> {
  const started = new Date();
  const seed = seedOf(o);
  const part = o.shard ? `, shard ${o.shard.index}/${o.shard.count}` : '';
  // the backend as asked for, and its handshake name where that differs (torch26-onednn's adapter says torch-onednn)
  const name = backends[0].name === o.backend ? o.backend : `${o.backend} (${backends[0].name})`;
  log(`fuzzing: ${o.fuzz} fresh cases per op on ${consoleText(name)}${part}, judged by the exact reference (seed ${seed})`);
  const catalog = resolved.fuzzCatalog;
  const options = { runs: o.fuzz, seed, timeoutMs: o.timeout, ops: o.op, path: o.replay, backendSpec: o.backend, ...(catalog ? { catalog } : {}), ...(interrupted ? { interrupted } : {}) };
  const found = await fuzzBackends(backends, options, o.shard, log);
  const warnings = backends.flatMap((b) => b.warnings ?? []);
  logWarnings(warnings);
  const info = fuzzRunInfo(backends[0], o, seed, started, cpu, runStreams(options, o.shard, backends.length), warnings);
  const runProblems = [...problems, ...found.problems];
  writeReports(o, info, found.results, runProblems);
  return runPassed(found.results, runProblems);
}

/** --seed as a number (fuzz_seed.ts); without one, the time. */
const seedOf = (o: RunCommandOptions) => fuzzSeed(o.seed ?? String(Date.now()));

/** The run info of a --fuzz run's reports: run_info.fuzz, and for vectors a source saying what was drawn. */
function fuzzRunInfo(backend: Backend, o: RunCommandOptions & { fuzz: number }, seed: number, started: Date, cpu: CpuModel, streams: FuzzRunInfo['streams'], warnings: readonly string[]): RunInfo {
  const source = `--fuzz ${o.fuzz} --seed ${seed}${o.replay === undefined ? '' : ` --replay ${o.replay}`}: fresh cases of the fuzz catalogue, judged by the exact reference`;
  const selection: VectorSelection = { source, manifest: null, manifestSha256: null, sets: [], cases: [], ids: new Set() };
  const base = runInfo(backend, selection, started, cpu, { strict_contract: true, waivers: null });
  return { ...base, backend: { ...base.backend, warnings }, finished: new Date().toISOString(), fuzz: { runs: o.fuzz, seed, replay: o.replay ?? null, streams } };
}

/** An unavailable built-in under --fuzz: nothing drawn, the reports say so (a runner problem), and the run exits 3. */
function fuzzUnavailable(unavailable: BackendUnavailable, o: RunCommandOptions & { fuzz: number }, cpu: CpuModel): number {
  console.error(`UNAVAILABLE: ${unavailable.message}`);
  const seed = seedOf(o);
  const info = fuzzRunInfo(placeholderOf(unavailable), o, seed, new Date(), cpu, [{ runs: o.fuzz, seed }], []);
  writeReports(o, info, [], [`backend unavailable: ${unavailable.reason}`]);
  return EXIT_UNAVAILABLE;
}

/**
 * What a run reads, which no report may overwrite: the vector sources (for a .jsonl file in a set with a manifest, the
 * whole set, which selection validates), the waiver file, and the backend itself when it is a module file and the
 * existing files named in its command (its script; split as resolve_backend.ts splitCommand starts it).
 */
function runInputs(o: RunCommandOptions, resolved: ResolvedBackend): ReadPath[] {
  const vectors = (o.vectors === undefined ? resolved.defaultVectors : [o.vectors].flat()).map((path) => (isFile(path) && isFile(join(dirname(path), 'manifest.json')) ? dirname(path) : path));
  const named = [o.backend, ...splitCommand(o.backend)].filter(isFile);
  return [
    ...vectors.map((path) => ({ what: 'vectors', path })),
    { what: 'waiver file', path: o.waivers ?? resolved.waiverPath },
    ...named.map((path) => ({ what: 'backend command\'s file', path })),
  ];
}

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

export async function runCommand(o: RunCommandOptions): Promise<number> {
  const usage = modeOptionsProblem(o) ?? replayUsageProblem(o);
  if (usage) {
    console.error(`error: ${usage}`);
    return 2;
  }
  let cpu: CpuModel;
  let resolved: ResolvedBackend;
  try {
    cpu = cpuModel(o.cpu);
    resolved = resolveBackend(o.backend, cpu, o.wire);
  } catch (e) {
    if (!(e instanceof UnknownCpuModel || e instanceof CpuNotSupported || e instanceof CommandNotRunnable || e instanceof NoBackendGiven)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  const destinations = destinationsProblem([['--report', o.report], ['--junit', o.junit], ['--html', o.html]], runInputs(o, resolved));
  if (destinations) {
    console.error(`error: ${destinations}`);
    return 2;
  }
  const rejections = watchUnhandledRejections();
  // from here on, SIGINT/SIGTERM (also while the backend or a --jobs instance starts) end the backend's process group and
  // still write the reports, every selected case with a verdict
  const interruption = catchInterrupts();
  let code: number | undefined;
  try {
    code = await selectAndRun(o, resolved, cpu, interruption, rejections.problems);
    return code;
  } finally {
    interruption.dispose();
    rejections.stop();
    // a backend or --jobs instance still starting when SIGINT/SIGTERM came (unlessInterrupted left it) is ended now
    if (interruption.exitCode() !== null) endAbandonedStarts(code);
  }
}

/** The run once its options are checked: the selection (or the fuzz ops) checked, the backend started, the cases judged, the reports written; its exit code. */
async function selectAndRun(o: RunCommandOptions, resolved: ResolvedBackend, cpu: CpuModel, interruption: Interruption, problems: readonly string[]): Promise<number> {
  const { signal } = interruption;
  try {
    // selected, and the waiver file read, before the backend starts: a usage error there has nothing to stop
    const run: { fuzz: RunCommandOptions & { fuzz: number } } | { vectors: VectorSelection } = o.fuzz !== undefined ? { fuzz: { ...o, fuzz: o.fuzz } } : { vectors: select(o, resolved) };
    if ('fuzz' in run) refuseUnmatchedFuzzOps(o.op, resolved.fuzzCatalog, o.backend);
    const waiverFile = 'vectors' in run ? readWaiverFile(o.waivers ?? resolved.waiverPath, o.waivers !== undefined) : null;
    // what a stand-in for a backend not started claims: every op of the run
    const runOps = 'fuzz' in run ? fuzzCatalogOf(resolved.fuzzCatalog).map((e) => e.op) : [...new Set(run.vectors.cases.map((s) => identityOf(s).op))];
    const started = await startBackend(o, resolved, runOps, signal);
    if (typeof started === 'number') return started;
    if (started instanceof BackendUnavailable) return 'fuzz' in run ? fuzzUnavailable(started, run.fuzz, cpu) : reportUnavailable(started, o, resolved, run.vectors, cpu, waiverFile);
    const backend = started === INTERRUPTED ? interruptedStart(o.backend, runOps, String(signal.reason)) : started;
    const jobs = isUnstarted(backend) || o.replay !== undefined ? [] : await startJobs(o, resolved, signal);
    const backends = [backend, ...jobs] as const;
    try {
      const ok = 'fuzz' in run ? await runFuzz(backends, run.fuzz, resolved, cpu, problems, signal) : await runVectors(backends, o, resolved, run.vectors, cpu, problems, waiverFile, signal);
      return interruption.exitCode() ?? (isUnstarted(backend) ? 2 : ok && problems.length === 0 ? 0 : 1);
    } finally {
      await Promise.all(backends.map((b) => b.close?.()));
    }
  } catch (e) {
    if (e instanceof UnmatchedSelection) {
      console.error(`error: ${consoleText(e.message)}`);
      return 2;
    }
    if (!(e instanceof VectorFileError)) throw e;
    console.error(`error: refused: ${e.message}`);
    return 2;
  }
}
