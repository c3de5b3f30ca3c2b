/**
 * What `--fuzz` draws for the onnxruntime backend on a CPU: the ORT catalogue (cases/fuzz_catalogs.ts) with each
 * request's CPU-dependent attributes set to what ORT 1.30 computes on that CPU, the rule the vector sets follow
 * (scripts/vectors/ort_ops_cli.ts): `accumulator` to its MLAS route's model (ort_accumulator.ts), `softmax_kernel`
 * (QAttention) to the sum-of-exponentials kernel MLAS dispatches there (ort_cpu_paths.ts ortSoftmaxKernel), and a
 * MatMulNBits draw's `qnbit_kernel` to the CPU's QNBitGemm kernel set (ortQNBitKernel). Without
 * this a draw names the host's kernels (int32_wrap, avx512f) and fails on --cpu haswell for the CPU's sake, not ORT's.
 * A CPU whose softmax kernel is not modelled (no FMA3: nehalem) keeps the drawn kernel.
 */
import type { CaseFactory } from '../../cases/builders.js';
import { ORT_FUZZ_CATALOG } from '../../cases/fuzz_catalogs.js';
import type { CpuModel } from '../cpu/cpu_models.js';
import { ortAccumulator, ortKernelLevel } from './ort_accumulator.js';
import { ortQNBitKernel, ortSoftmaxKernel } from './ort_cpu_paths.js';

type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

/** The ORT fuzz catalogue for `cpu`; `cpuFlags` (the CPUID flags ORT sees there) is asked once, at the first draw. */
export function ortFuzzCatalog(cpu: CpuModel, cpuFlags: (cpu: CpuModel) => readonly string[]): FuzzCatalog {
  let flags: readonly string[] | null = null;
  const adapt = (request: ReturnType<CaseFactory>): ReturnType<CaseFactory> => {
    flags ??= cpuFlags(cpu);
    const attrs = { ...request.attrs };
    if (typeof attrs.accumulator === 'string') attrs.accumulator = ortAccumulator(ortKernelLevel(flags), { id: 'fuzz', ...request });
    if (typeof attrs.softmax_kernel === 'string') {
      try {
        attrs.softmax_kernel = ortSoftmaxKernel(flags);
      } catch {
        // not modelled on this CPU: the drawn kernel stays (and such draws fail there)
      }
    }
    if (request.op === 'matmul_nbits@1') {
      try {
        attrs.qnbit_kernel = ortQNBitKernel(flags);
      } catch {
        // no QNBitGemm kernels modelled on this CPU: the default kernel set stays (and single rows of bits 4 fail there)
      }
    }
    return { ...request, attrs };
  };
  return ORT_FUZZ_CATALOG.map(({ op, factory }) => ({ op, factory: (r, index) => adapt(factory(r, index)) }));
}
