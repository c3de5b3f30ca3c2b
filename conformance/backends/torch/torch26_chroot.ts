/**
 * Real PyTorch 2.6 (Debian 13's python3-torch 2.6.0, Python 3.13, oneDNN 3.7) in the chroot that
 * setup_torch26_chroot.sh builds (`npm run setup:torch26`), running the same adapter as torch 1.13
 * (python/qconform_torch.py) through run_in_torch26_chroot.sh: /proc and this checkout's
 * conformance/backends (read-only, at /qconform) are mounted in a private mount namespace that ends with
 * the process, so nothing stays mounted whatever way the run ends.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Availability } from '../availability.js';
import type { CpuModel } from '../cpu/cpu_models.js';

/** The one directory the chroot lives in (QCONFORM_TORCH26_ROOT overrides it, for the setup script too). */
export const TORCH26_ROOT = process.env.QCONFORM_TORCH26_ROOT ?? '/var/cache/qconform/torch26-trixie';
/** Written by the setup script when the chroot is complete. */
export const TORCH26_MARKER = join(TORCH26_ROOT, '.qconform-torch26-ready');
export const TORCH26_SETUP_HINT = 'npm run setup:torch26   (as root: debootstrap of Debian 13 with python3-torch 2.6, 2-6 min and 1.3-1.6 GB)';
const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'run_in_torch26_chroot.sh');
/** The adapter's path inside the chroot (conformance/backends is bind-mounted at /qconform). */
export const TORCH26_ADAPTER_IN_CHROOT = '/qconform/torch/python/qconform_torch.py';

/** Whether the torch 2.6 chroot is set up and usable here (it needs root for the mount namespace and chroot). */
export function torch26Availability(): Availability {
  if (!existsSync(TORCH26_MARKER)) return { available: false, reason: `no torch 2.6 chroot at ${TORCH26_ROOT}`, install: TORCH26_SETUP_HINT };
  if (process.getuid?.() !== 0) return { available: false, reason: 'the torch 2.6 chroot needs root (unshare --mount, chroot)', install: `run as root; ${TORCH26_SETUP_HINT}` };
  return { available: true };
}

/**
 * ATen's CPU capability for torch 2.6 (ATEN_CPU_CAPABILITY): torch 2.6 dispatches AVX512 kernels on an AVX-512
 * host where Debian's torch 1.13 runs AVX2, and the vector width orders float32 sums and min/max lanes. Capped
 * at avx2, 2.6 runs the same kernels as the 1.13 that wrote vectors/torch-1.13, so the two sets compare case by case.
 */
export const TORCH26_ATEN_CAPABILITY = 'avx2';

/**
 * The adapter's command line inside the chroot for `engine`, under QEMU for an emulated `cpu`, with ATen's capability
 * `atenCapability` (TORCH26_ATEN_CAPABILITY unless a vector writer asks for another).
 */
export function torch26Command(engine: string | null, cpu?: CpuModel, atenCapability: string = TORCH26_ATEN_CAPABILITY): { command: string; args: string[] } {
  const qemu = cpu?.qemu ? ['--qemu', cpu.qemu.binary, cpu.qemu.cpu] : [];
  return { command: RUNNER, args: [TORCH26_ROOT, ...qemu, '--', '/usr/bin/env', `ATEN_CPU_CAPABILITY=${atenCapability}`, '/usr/bin/python3', TORCH26_ADAPTER_IN_CHROOT, ...(engine ? ['--engine', engine] : [])] };
}
