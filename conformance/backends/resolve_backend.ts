/**
 * What `--backend <spec>` names: a built-in backend, a JavaScript/TypeScript module exporting a Backend
 * (default export, `backend` export, or a function returning one; run in a worker thread,
 * module/worker_module_backend.ts), or a command line that starts a
 * protocol process (docs/protocol.md). Each also has a default waiver file next to it.
 */
import { existsSync } from 'node:fs';
import { join, parse, resolve } from 'node:path';
import type { Backend } from './backend.js';
import type { FuzzCatalog } from './builtin_backend.js';
import { builtinBackend } from './registry.js';
import { TORCH_VECTORS_DIR } from '../vectors/vector_types.js';
import { SubprocessBackend } from './subprocess/subprocess_backend.js';
import type { WireChoice } from '../protocol/wire_negotiation.js';
import { WorkerModuleBackend } from './module/worker_module_backend.js';
import { type CpuModel, HOST_CPU, cpuAvailability, wrapCommand } from './cpu/cpu_models.js';
import { qemuX86Program } from './cpu/qemu_program.js';

export interface ResolvedBackend {
  readonly kind: 'builtin' | 'module' | 'command';
  /** Where `<name>.waivers.txt` is looked for when --waivers is not given. */
  readonly waiverPath: string;
  /** The vector sets used when --vectors is not given, in order (one or more). */
  readonly defaultVectors: readonly string[];
  /**
   * Every vector set its waivers are written for, when more than defaultVectors: a built-in's sets on every CPU it
   * runs on (one waiver file serves them all), so a waived id of another CPU's set is not taken for a misspelt one.
   */
  readonly waiverVectors?: readonly string[];
  /** The generators --fuzz draws from, when not the torch catalogue's. */
  readonly fuzzCatalog?: FuzzCatalog;
  start(): Promise<Backend>;
  /** Starts one more instance for `--jobs` (default: start() again). */
  startJob?(): Promise<Backend>;
}

const MODULE_EXTENSIONS = /\.(ts|mts|js|mjs)$/;

/** Split a command line on whitespace, keeping single- or double-quoted words together. */
export function splitCommand(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function waiverPathFor(file: string): string {
  const { dir, name } = parse(resolve(file));
  return join(dir, `${name}.waivers.txt`);
}

/** `--backend` given as an empty or blank string (no word to run): a usage error. */
export class NoBackendGiven extends Error {
  override readonly name = 'NoBackendGiven';
}

/** A backend that cannot run on the requested CPU model (an in-process backend, or another architecture). */
export class CpuNotSupported extends Error {
  override readonly name = 'CpuNotSupported';
}

/**
 * `cpu` (cpu/cpu_models.ts, default the host): a built-in must list it in `cpus`; a command backend is run
 * under its QEMU (x86-64 models only: the command is an x86 program, its first word resolved through PATH; one not
 * found, or not an x86-64 ELF program, throws CommandNotRunnable); a module runs in this process, on the host only.
 * `wire` is the tensor encoding offered to a command backend (protocol/wire_negotiation.ts).
 */
export function resolveBackend(spec: string, cpu: CpuModel = HOST_CPU, wire: WireChoice = 'auto'): ResolvedBackend {
  const builtin = builtinBackend(spec);
  if (builtin) {
    const cpus = builtin.cpus ?? ['host'];
    if (!cpus.includes(cpu.name)) throw new CpuNotSupported(`backend ${builtin.name} does not run on --cpu ${cpu.name} (it runs on: ${cpus.join(', ')})`);
    return {
      kind: 'builtin',
      waiverPath: join(builtin.waiverDir, `${builtin.name}.waivers.txt`),
      defaultVectors: [builtin.vectorsByCpu?.[cpu.name] ?? builtin.defaultVectors ?? TORCH_VECTORS_DIR].flat(),
      ...(builtin.vectorsByCpu ? { waiverVectors: [...new Set([builtin.defaultVectors ?? TORCH_VECTORS_DIR, ...Object.values(builtin.vectorsByCpu)].flat())] } : {}),
      ...(builtin.fuzzCatalog ? { fuzzCatalog: builtin.fuzzCatalogOn?.(cpu) ?? builtin.fuzzCatalog } : {}),
      start: async () => {
        const a = builtin.availability(cpu);
        if (!a.available) throw new BackendUnavailable(builtin.name, a.reason, a.install);
        return builtin.create(cpu);
      },
      ...(builtin.createJob ? { startJob: () => builtin.createJob!(cpu) } : {}),
    };
  }
  if (MODULE_EXTENSIONS.test(spec) && existsSync(spec)) {
    if (cpu.qemu) throw new CpuNotSupported(`${spec} runs in this process, on the host only: --cpu ${cpu.name} needs a command backend (or a built-in that lists it)`);
    return { kind: 'module', waiverPath: waiverPathFor(spec), defaultVectors: [TORCH_VECTORS_DIR], start: () => WorkerModuleBackend.start(spec) };
  }
  const [command, ...args] = splitCommand(spec);
  if (!command) throw new NoBackendGiven(`--backend needs a built-in name, a module path or a command; got ${JSON.stringify(spec)}`);
  if (cpu.arch !== 'x86_64') throw new CpuNotSupported(`--cpu ${cpu.name} runs ${cpu.arch} programs; a command backend is run under qemu-x86_64 models only (host, haswell, nehalem)`);
  const script = args.find((word) => existsSync(word)) ?? command;
  // QEMU user mode neither searches PATH nor runs scripts, and loses its own message (cpu/qemu_program.ts)
  const program = cpu.qemu ? qemuX86Program(command, cpu.name) : command;
  return {
    kind: 'command',
    waiverPath: waiverPathFor(script),
    defaultVectors: [TORCH_VECTORS_DIR],
    start: async () => {
      const a = cpuAvailability(cpu);
      if (!a.available) throw new BackendUnavailable(spec, a.reason, a.install);
      return SubprocessBackend.start(wrapCommand(cpu, program, args), { wire });
    },
  };
}

export class BackendUnavailable extends Error {
  override readonly name = 'BackendUnavailable';
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly install: string,
  ) {
    super(`backend ${backend} is not available here: ${reason}. Install it with: ${install}`);
  }
}
