/**
 * The CPUID flags a program sees on a CPU model: the host's own (/proc/cpuinfo), or those the CPUID probe reports
 * under QEMU for an emulated model (cpu_models.ts probeCpuid; none when the probe fails).
 */
import { cpuFlags } from '../../runner/reports/run_info.js';
import { type CpuModel, probeCpuid } from './cpu_models.js';

export function cpuFlagsOn(cpu: CpuModel): string[] {
  if (!cpu.qemu) return cpuFlags();
  const cpuid = probeCpuid(cpu);
  return Array.isArray(cpuid?.flags) ? (cpuid.flags as string[]) : [];
}
