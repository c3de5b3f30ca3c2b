/**
 * What `--fuzz` draws for the torch-onednn backend on a CPU: the torch catalogue (cases/fuzz_catalogs.ts
 * torchFuzzCatalog) with its conv generator replaced by the onednn one (cases/conv_cases.ts torchOnednnConvCase:
 * scheme torch-onednn@1, symmetric weights, the crash-avoiding ReLU), and each onednn request's `accumulator` set to
 * the model oneDNN 2.6.3 runs there (onednn_accumulator.ts torchOnednnRequestAccumulator), the rule the per-CPU vector
 * set follows (scripts/vectors/torch_cpu_cli.ts).
 * - The conv: torchFuzzCatalog's torchConvCase picks the engine by case index (even: qnnpack, odd: onednn) and the
 *   fuzz runner draws index 0 only (runner/fuzz/fuzz_op.ts draw), so every conv it drew was torch-qnnpack@1, outside
 *   this backend's schemes: `--fuzz` skipped them all and judged no conv.
 * - The accumulator: without it every draw names VNNI's exact `int32_wrap`, and on a CPU without VNNI (--cpu haswell)
 *   the convs and linears whose int16 pairs saturate fail for the CPU's sake, not torch's.
 * Requests of other schemes (the linears' qnnpack draws, which this backend does not claim) are left as drawn.
 */
import type { CaseFactory } from '../../cases/builders.js';
import { torchOnednnConvCase } from '../../cases/conv_cases.js';
import { torchFuzzCatalog } from '../../cases/fuzz_catalogs.js';
import type { CpuModel } from '../cpu/cpu_models.js';
import { onednnIsaFromFlags, torchOnednnRequestAccumulator } from './onednn_accumulator.js';

type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

/** The torch-onednn fuzz catalogue for `cpu`; `cpuFlags` (the CPUID flags torch sees there) is asked once, at the first draw. */
export function onednnFuzzCatalog(cpu: CpuModel, cpuFlags: (cpu: CpuModel) => readonly string[]): FuzzCatalog {
  let flags: readonly string[] | null = null;
  const adapt = (request: ReturnType<CaseFactory>): ReturnType<CaseFactory> => {
    flags ??= cpuFlags(cpu);
    // a CPU whose oneDNN kernels are not modelled keeps the drawn accumulator (and its saturating draws fail there)
    if (request.attrs?.scheme !== 'torch-onednn@1' || onednnIsaFromFlags(flags) === null) return request;
    return { ...request, attrs: { ...request.attrs, accumulator: torchOnednnRequestAccumulator(flags, { id: 'fuzz', ...request }) } };
  };
  return torchFuzzCatalog().map(({ op, factory }) => {
    const drawn = op === 'quantized_conv2d@1' ? torchOnednnConvCase : factory;
    return { op, factory: (r, index) => adapt(drawn(r, index)) };
  });
}
