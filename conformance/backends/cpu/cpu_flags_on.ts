/**
 * The CPUID flags a program sees on a CPU model: the host's own (/proc/cpuinfo), or those the CPUID probe reports
 * under QEMU for an emulated model (cpu_models.ts probeCpuid; none when the probe fails), with the probe's whole
 * answer for provenance.
 */
import { cpuFlags } from '../../runner/reports/run_info.js';
import { type CpuModel, probeCpuid } from './cpu_models.js';

export function cpuFlagsWithCpuid(cpu: CpuModel): { flags: string[]; cpuid: Record<string, unknown> | null } {
  if (!cpu.qemu) return { flags: cpuFlags(), cpuid: null };
  const cpuid = probeCpuid(cpu);
  return { flags: Array.isArray(cpuid?.flags) ? (cpuid.flags as string[]) : [], cpuid };
}

/** The flags alone (cpuFlagsWithCpuid). */
export function cpuFlagsOn(cpu: CpuModel): string[] {
  return cpuFlagsWithCpuid(cpu).flags;
}
