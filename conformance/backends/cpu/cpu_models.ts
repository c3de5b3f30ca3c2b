/**
 * The CPU a real backend runs on: the host itself, or an emulated CPU model under QEMU user mode
 * (Debian qemu-user-static). `--cpu <model>` on `qconform run` and the vector writers picks one; the
 * built-in backends wrap their process with `wrapCommand`, so the library inside dispatches on the CPUID
 * of the model (under qemu-user /proc/cpuinfo stays the host's; see cpuid_probe.py).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Availability } from '../availability.js';

export const QEMU_INSTALL = 'apt-get update && apt-get install -y qemu-user-static';

export interface CpuModel {
  /** the `--cpu` name */
  readonly name: string;
  /** the guest architecture: x86_64 runs x86 builds, aarch64 the arm64 builds (only XNNPACK has one) */
  readonly arch: 'x86_64' | 'aarch64';
  /** the qemu-user binary and its `-cpu` model; null = the host, no emulation */
  readonly qemu: { readonly binary: string; readonly cpu: string } | null;
  /** the features that pick int8 kernels, as QEMU documents the model (target/i386/cpu.c, target/arm/cpu64.c) */
  readonly features: string;
}

export const CPU_MODELS: readonly CpuModel[] = [
  { name: 'host', arch: 'x86_64', qemu: null, features: 'this machine, natively' },
  { name: 'haswell', arch: 'x86_64', qemu: { binary: 'qemu-x86_64-static', cpu: 'Haswell' }, features: 'SSE4.2, AVX, FMA, AVX2; no AVX-512, no VNNI' },
  { name: 'nehalem', arch: 'x86_64', qemu: { binary: 'qemu-x86_64-static', cpu: 'Nehalem' }, features: 'SSE4.2 (SSSE3, SSE4.1); no AVX, no AVX2' },
  { name: 'arm64', arch: 'aarch64', qemu: { binary: 'qemu-aarch64-static', cpu: 'cortex-a72' }, features: 'ARMv8.0-A with NEON (Cortex-A72); no dotprod' },
];

export const HOST_CPU = CPU_MODELS[0]!;

export class UnknownCpuModel extends Error {
  override readonly name = 'UnknownCpuModel';
}

/** The model named `name` (case-insensitive); throws with the known names otherwise. */
export function cpuModel(name: string | undefined): CpuModel {
  if (name === undefined) return HOST_CPU;
  const found = CPU_MODELS.find((m) => m.name === name.toLowerCase());
  if (!found) throw new UnknownCpuModel(`unknown CPU model ${JSON.stringify(name)} (--cpu takes ${CPU_MODELS.map((m) => m.name).join(', ')})`);
  return found;
}

function onPath(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Whether processes can run on `m` here: the host always; an emulated model when its qemu-user binary is installed. */
export function cpuAvailability(m: CpuModel): Availability {
  if (!m.qemu) return { available: true };
  if (!onPath(m.qemu.binary)) return { available: false, reason: `${m.qemu.binary} is not installed (needed for --cpu ${m.name})`, install: QEMU_INSTALL };
  return { available: true };
}

/** `command args` run on `m`: unchanged for the host, else under `qemu-<arch>-static -cpu <model>`. */
export function wrapCommand(m: CpuModel, command: string, args: readonly string[], qemuArgs: readonly string[] = []): { command: string; args: string[] } {
  if (!m.qemu) return { command, args: [...args] };
  return { command: m.qemu.binary, args: ['-cpu', m.qemu.cpu, ...qemuArgs, command, ...args] };
}

/** Provenance of a run on `m`: the model, how it was run, and what QEMU documents for it. */
export function cpuProvenance(m: CpuModel): Record<string, unknown> {
  return { model: m.name, emulation: m.qemu ? `${m.qemu.binary} -cpu ${m.qemu.cpu}` : null, documented_features: m.features };
}

export const CPUID_PROBE = join(dirname(fileURLToPath(import.meta.url)), 'cpuid_probe.py');

/**
 * The x86 CPUID flags a process sees on `m` (cpuid_probe.py run under the same emulation, with /usr/bin/python3),
 * for backends that cannot report them themselves (onnxruntime-node). Null when not measurable here.
 */
export function probeCpuid(m: CpuModel): Record<string, unknown> | null {
  if (m.arch !== 'x86_64') return null;
  const { command, args } = wrapCommand(m, process.env.QCONFORM_TORCH_PYTHON ?? '/usr/bin/python3', [CPUID_PROBE]);
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim()) as Record<string, unknown>;
  } catch {
    return null;
  }
}
