/** A backend that ships with qconform: how to tell whether it can run here, and how to start it. */
import type { CaseFactory } from '../cases/builders.js';
import type { Backend } from './backend.js';
import type { CpuModel } from './cpu/cpu_models.js';

import type { Availability } from './availability.js';

export type { Availability };

export type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

export interface BuiltinBackend {
  readonly name: string;
  /** One line: what it is and what it claims. */
  readonly summary: string;
  /** The vector set(s) this backend is checked against when --vectors is not given, in order (default: vectors/torch-1.13). */
  readonly defaultVectors?: string | readonly string[];
  /** The generators `--fuzz` draws from when they differ from the torch catalogue's (a backend with its own vector set). */
  readonly fuzzCatalog?: FuzzCatalog;
  /** fuzzCatalog as drawn on `cpu`, when its draws' attributes depend on the CPU (onnxruntime: accumulator, softmax kernel). */
  readonly fuzzCatalogOn?: (cpu: CpuModel) => FuzzCatalog;
  /** The CPU models (cpu/cpu_models.ts) it runs on; absent = the host only (in-process backends). */
  readonly cpus?: readonly string[];
  /** Its vector set(s) on a CPU whose arithmetic differs from the host's (overrides defaultVectors for that `--cpu`). */
  readonly vectorsByCpu?: Readonly<Record<string, string | readonly string[]>>;
  /** The folder holding `<name>.waivers.txt`, the built-in's expected failures (its family's folder). */
  readonly waiverDir: string;
  /** Whether it can run here on `cpu` (default: the host). */
  availability(cpu?: CpuModel): Availability;
  /** Starts it on `cpu` (default: the host); only called with a model listed in `cpus`. */
  create(cpu?: CpuModel): Promise<Backend>;
  /** Starts one more instance for `--jobs`, in a process of its own; absent: create() again (a process or a worker already). */
  createJob?(cpu?: CpuModel): Promise<Backend>;
}
