/** Provenance of a run, for reports: what ran, against which vectors, on which machine. */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { QCONFORM_VERSION } from '../../cli/package_info.js';
import type { Backend } from '../../backends/backend.js';
import type { VectorSelection } from '../vector_selection.js';

export interface RunInfo {
  readonly qconform_version: string;
  readonly backend: { name: string; version: string; capabilities: Backend['capabilities']; info: Record<string, unknown>; warnings: readonly string[] };
  readonly vectors: { source: string; manifest_sha256: string | null; oracle: string | null; seed: string | null };
  readonly machine: { platform: string; arch: string; cpu: string; cpu_flags: string[]; node: string };
  readonly started: string;
  readonly finished?: string;
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

export function runInfo(backend: Backend, selection: VectorSelection, started: Date): RunInfo {
  return {
    qconform_version: QCONFORM_VERSION,
    backend: { name: backend.name, version: backend.version, capabilities: backend.capabilities, info: backend.info ?? {}, warnings: backend.warnings ?? [] },
    vectors: {
      source: selection.source,
      manifest_sha256: selection.manifestSha256,
      oracle: selection.manifest?.oracle ?? null,
      seed: selection.manifest?.seed ?? null,
    },
    machine: { platform: platform(), arch: arch(), cpu: cpus()[0]?.model ?? 'unknown', cpu_flags: cpuFlags(), node: process.version },
    started: started.toISOString(),
  };
}
