/**
 * What `--fuzz` draws for the onnxruntime backend on a CPU: the ORT catalogue (cases/fuzz_catalogs.ts) with each
 * request's CPU-dependent attributes (`accumulator`, QAttention's `softmax_kernel`, MatMulNBits' `qnbit_kernel`) set to
 * what ORT 1.30 computes on that CPU, the rule the vector sets follow (ort_cpu_attrs.ts ortCpuAttrs). Without
 * this a draw names the host's kernels (int32_wrap, avx512f) and fails on --cpu haswell for the CPU's sake, not ORT's.
 * A CPU whose kernel is not modelled (no FMA3: nehalem) keeps the drawn one (and such draws fail there).
 */
import type { CaseFactory } from '../../cases/builders.js';
import { ORT_FUZZ_CATALOG } from '../../cases/fuzz_catalogs.js';
import type { CpuModel } from '../cpu/cpu_models.js';
import { ortCpuAttrs } from './ort_cpu_attrs.js';

type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

/** The ORT fuzz catalogue for `cpu`; `cpuFlags` (the CPUID flags ORT sees there) is asked once, at the first draw. */
export function ortFuzzCatalog(cpu: CpuModel, cpuFlags: (cpu: CpuModel) => readonly string[]): FuzzCatalog {
  let flags: readonly string[] | null = null;
  const adapt = (request: ReturnType<CaseFactory>): ReturnType<CaseFactory> => ortCpuAttrs(request, (flags ??= cpuFlags(cpu)), { unmodelled: 'keep' });
  return ORT_FUZZ_CATALOG.map(({ op, factory }) => ({ op, factory: (r, index) => adapt(factory(r, index)) }));
}
