/** Provenance of a run, for reports: what ran, against which vectors, on which machine. */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { QCONFORM_VERSION } from '../../cli/package_info.js';
import type { Backend } from '../../backends/backend.js';
import type { VectorSelection } from '../vector_selection.js';
import { type CpuModel, HOST_CPU, cpuProvenance } from '../../backends/cpu/cpu_models.js';

/** One vector set of a run: the name each of its results carries as `set`, and its provenance. */
export interface VectorSetInfo {
  readonly name: string;
  readonly source: string;
  readonly manifest_sha256: string | null;
  readonly oracle: string | null;
  readonly seed: string | null;
}

export interface JudgingRules {
  readonly strict_contract: boolean;
  readonly waivers: { readonly path: string; readonly sha256: string; readonly unmatched_ids: readonly string[] } | null;
}

/** A run without --strict-contract or a waiver file. */
export const DEFAULT_JUDGING: JudgingRules = { strict_contract: false, waivers: null };

export interface RunInfo {
  readonly qconform_version: string;
  readonly backend: { name: string; version: string; capabilities: Backend['capabilities']; info: Record<string, unknown>; warnings: readonly string[] };
  /** The selection's source; for several sets (a built-in's default sets, or repeated --vectors) `source` joins theirs,
   * the top-level manifest fields are null and `sets` describes each, in order. */
  readonly vectors: { source: string; manifest_sha256: string | null; oracle: string | null; seed: string | null; sets?: readonly VectorSetInfo[] };
  readonly machine: { platform: string; arch: string; cpu: string; cpu_flags: string[]; node: string };
  /** The CPU the backend ran on (`--cpu`): the model, its QEMU command, QEMU's documented features. The flags its
   * library saw are the backend's own report (backend.info.cpu / cpu_flags): under QEMU user mode, machine.cpu_flags
   * (this process's /proc/cpuinfo) are the host's. */
  readonly backend_cpu: Record<string, unknown>;
  readonly started: string;
  readonly finished?: string;
  /**
   * The rules the cases were judged by, which `qconform merge` requires alike in every shard: `--strict-contract`, and
   * the waiver file read (its path, the SHA-256 of its bytes, and its waived ids that name no case of the loaded vector
   * sets: a misspelt id waives nothing), or null when none was.
   */
  readonly judging: JudgingRules;
  /**
   * A `--shard K/N` run: which part, the selection's files in order (qconform merge restores the case order from them),
   * and the whole run's cases over all N parts (the selection's cases the run gives a verdict, those outside the
   * backend's claims left out unless --all-cases): their number and shard.ts caseIdsDigest, which merge checks the
   * shards' results against.
   */
  readonly shard?: { readonly index: number; readonly count: number; readonly files: readonly string[]; readonly run_cases: number; readonly run_cases_sha256: string };
  /**
   * A `--fuzz N` run: N, the seed, the `--replay` path (or null) and the streams drawn (one; with --jobs or --shard,
   * each instance's runs and seed, as fuzz_run.ts fuzzStreams splits them). Its results are the cases the backend was
   * asked, each with its fuzz path and replay line; a --shard fuzz report has no `shard` (nothing to merge).
   */
  readonly fuzz?: FuzzRunInfo;
}

/** RunInfo.fuzz: a --fuzz run's cases per op, seed, --replay path (or null) and streams. */
export interface FuzzRunInfo {
  readonly runs: number;
  readonly seed: number;
  readonly replay: string | null;
  readonly streams: ReadonlyArray<{ readonly runs: number; readonly seed: number }>;
}

/** The CPU feature flags of /proc/cpuinfo's first processor (empty where there is none). */
export function cpuFlags(): string[] {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    return line ? (line.split(':')[1] ?? '').trim().split(/\s+/) : [];
  } catch {
    return [];
  }
}

export function runInfo(backend: Backend, selection: VectorSelection, started: Date, cpu: CpuModel = HOST_CPU, judging: JudgingRules = DEFAULT_JUDGING): RunInfo {
  return {
    qconform_version: QCONFORM_VERSION,
    backend: { name: backend.name, version: backend.version, capabilities: backend.capabilities, info: backend.info ?? {}, warnings: backend.warnings ?? [] },
    vectors: {
      source: selection.source,
      manifest_sha256: selection.manifestSha256,
      oracle: selection.manifest?.oracle ?? null,
      seed: selection.manifest?.seed ?? null,
      ...(selection.sets.length > 1
        ? { sets: selection.sets.map((s) => ({ name: s.name, source: s.source, manifest_sha256: s.manifestSha256, oracle: s.manifest?.oracle ?? null, seed: s.manifest?.seed ?? null })) }
        : {}),
    },
    machine: { platform: platform(), arch: arch(), cpu: cpus()[0]?.model ?? 'unknown', cpu_flags: cpuFlags(), node: process.version },
    backend_cpu: cpuProvenance(cpu),
    started: started.toISOString(),
    judging,
  };
}
