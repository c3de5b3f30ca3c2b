/**
 * `qconform run`: start the backend, select and run the golden cases, apply waivers, print the summary
 * and write the reports; or, with --fuzz, judge fresh generated cases against the reference. Exit codes: 0 every case passed or is waived (and fuzzing found
 * nothing), 1 otherwise, 2 the vectors, waivers or backend could not be loaded, 3 the backend is not
 * installed and --require-available was given (without it an unavailable backend exits 0).
 */
import type { Backend } from '../backends/backend.js';
import { BUILTIN_BACKENDS } from '../backends/registry.js';
import { unclaimedReason } from './claims.js';
import { fuzzBackend, fuzzSeed } from './fuzz/fuzz_run.js';
import { progressBar } from './progress.js';
import { consoleSummary } from './reports/console_summary.js';
import { writeJsonReport } from './reports/json_report.js';
import { writeJunitReport } from './reports/junit_report.js';
import { runInfo } from './reports/run_info.js';
import { BackendUnavailable, CpuNotSupported, type ResolvedBackend, resolveBackend } from '../backends/resolve_backend.js';
import { type CpuModel, UnknownCpuModel, cpuModel } from '../backends/cpu/cpu_models.js';
import { OK_VERDICTS, runPassed } from './results.js';
import { runSuite } from './run_suite.js';
import { VectorFileError } from '../vectors/vector_set.js';
import { selectCases } from './vector_selection.js';
import { readWaivers } from './waivers.js';

export interface RunCommandOptions {
  backend: string;
  /** default: the backend's own vector set (vectors/torch-1.13, or vectors/onnxruntime-1.30 for onnxruntime) */
  vectors?: string;
  op?: string[];
  scheme?: string[];
  case?: string[];
  waivers?: string;
  timeout: string;
  report?: string;
  junit?: string;
  strictContract?: boolean;
  claimedOnly?: boolean;
  requireAvailable?: boolean;
  fuzz?: string;
  seed?: string;
  replay?: string;
  /** the CPU model the backend runs on (backends/cpu/cpu_models.ts): host (default), haswell, nehalem, arm64 */
  cpu?: string;
}

const log = (s: string) => console.log(s);

async function startBackend(o: RunCommandOptions, resolved: ResolvedBackend): Promise<Backend | number> {
  try {
    return await resolved.start();
  } catch (e) {
    if (e instanceof BackendUnavailable) {
      console.error(`UNAVAILABLE: ${e.message}`);
      return o.requireAvailable ? 3 : 0;
    }
    const names = BUILTIN_BACKENDS.map((b) => b.name).join(', ');
    console.error(`error: cannot start backend ${o.backend}: ${(e as Error).message}\n(--backend takes a built-in name (${names}), a .ts/.js module, or a command)`);
    return 2;
  }
}

async function runVectors(backend: Backend, o: RunCommandOptions, resolved: ResolvedBackend, cpu: CpuModel): Promise<boolean> {
  const started = new Date();
  const selection = selectCases(o.vectors ?? resolved.defaultVectors, { ops: o.op, schemes: o.scheme, ids: o.case });
  const waivers = readWaivers(o.waivers ?? resolved.waiverPath, o.waivers !== undefined);
  const cases = o.claimedOnly ? selection.cases.filter((s) => !unclaimedReason(backend.capabilities, s.case)) : selection.cases;
  if (cases.length < selection.cases.length) log(`${selection.cases.length - cases.length} cases outside ${backend.name}'s claims left out (--claimed-only)`);
  if (cases.length === 0) {
    console.error(`no cases to run: the selection from ${selection.source} is empty${o.claimedOnly ? ` or outside ${backend.name}'s claims` : ''}`);
    return false;
  }
  const progress = progressBar(backend.name, cases.length);
  let notOk = 0;
  const results = await runSuite(backend, cases, {
    timeoutMs: Number(o.timeout),
    strictContract: o.strictContract ?? false,
    knownSchemes: [...new Set(selection.cases.map((s) => s.scheme))],
    waivers,
    onResult: (r, done) => {
      if (!OK_VERDICTS.has(r.verdict)) notOk++;
      progress.update(done, notOk);
    },
  });
  progress.finish();
  const info = { ...runInfo(backend, { ...selection, cases }, started, cpu), finished: new Date().toISOString() };
  if (o.report) writeJsonReport(o.report, info, results);
  if (o.junit) writeJunitReport(o.junit, info, results);
  log(consoleSummary(info, results));
  return runPassed(results);
}

async function runFuzz(backend: Backend, o: RunCommandOptions & { fuzz: string }, resolved: ResolvedBackend): Promise<boolean> {
  const seed = fuzzSeed(o.seed ?? String(Date.now()));
  log(`fuzzing: ${o.fuzz} fresh cases per op on ${backend.name}, judged by the exact reference (seed ${seed})`);
  const catalog = resolved.fuzzCatalog;
  return fuzzBackend(backend, { runs: Number(o.fuzz), seed, timeoutMs: Number(o.timeout), ops: o.op, path: o.replay, backendSpec: o.backend, ...(catalog ? { catalog } : {}) }, log);
}

export async function runCommand(o: RunCommandOptions): Promise<number> {
  let cpu: CpuModel;
  let resolved: ResolvedBackend;
  try {
    cpu = cpuModel(o.cpu);
    resolved = resolveBackend(o.backend, cpu);
  } catch (e) {
    if (!(e instanceof UnknownCpuModel || e instanceof CpuNotSupported)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  const backend = await startBackend(o, resolved);
  if (typeof backend === 'number') return backend;
  try {
    const ok = o.fuzz !== undefined ? await runFuzz(backend, { ...o, fuzz: o.fuzz }, resolved) : await runVectors(backend, o, resolved, cpu);
    return ok ? 0 : 1;
  } catch (e) {
    if (!(e instanceof VectorFileError)) throw e;
    console.error(`error: refused: ${e.message}`);
    return 2;
  } finally {
    await backend.close?.();
  }
}
