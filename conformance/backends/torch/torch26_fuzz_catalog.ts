/**
 * What `--fuzz` draws for torch26-qnnpack / torch26-onednn on a CPU: the torch 2.6 vector set's generators
 * (cases/torch26_catalog.ts), each conv and linear drawn on the backend's own engine, since the fuzz runner draws at
 * index 0 only (runner/fuzz/fuzz_op.ts draw) and the set's generators pick the engine by index (torchConvCase: even
 * qnnpack, odd onednn) or by a coin (torchStaticLinearCase, torchDrawnDynamicLinearCase), which left torch26-onednn
 * no conv at all to judge.
 * - convs: torchQnnpackConvCase (torch-qnnpack@1) or torchOnednnConvCase asked as torch-onednn@2 (onednnV2, as
 *   torch26Requests asks the set's onednn convs);
 * - linears: torchLinearCase / the dynamic linear of the engine, the onednn ones as torch-onednn@2 (torch26LinearRequests);
 * - every other op as the set draws it: the torch 1.13 catalogue's @1 ops and TORCH2_FUZZ_CATALOG's @2 and 2.x-only ops
 *   (the runner keeps the ones the handshake lists), the decomposed quantize / dequantize ops with the edges the set
 *   does not draw (cases/decomposed_fuzz_cases.ts).
 * The accumulator of the engine's convs and linears is the one torch26_builtins.ts claims on the CPU
 * (torchUniformAccumulator: int32_wrap for qnnpack, and for onednn on a VNNI CPU); where it claims none (onednn without
 * VNNI: oneDNN 3.7's non-VNNI kernels are not modelled) the draws keep the accumulator drawn.
 */
import type { CaseFactory } from '../../cases/builders.js';
import { CATALOG } from '../../cases/catalog.js';
import { torchOnednnConvCase, torchQnnpackConvCase } from '../../cases/conv_cases.js';
import { torchDynamicLinearCase, torchLinearCase, torchOnednnDynamicLinearCase } from '../../cases/linear_cases.js';
import { TORCH2_FUZZ_CATALOG, onednnV2 } from '../../cases/torch26_catalog.js';
import type { CpuModel } from '../cpu/cpu_models.js';
import { type TorchEngine, torchUniformAccumulator } from './onednn_accumulator.js';

type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

/** The conv and linear generators of each engine, as torch 1.13's schemes (onednnV2 renames onednn's). */
const ENGINE_FACTORIES: Readonly<Record<TorchEngine, Readonly<Record<string, CaseFactory>>>> = {
  qnnpack: {
    'quantized_conv2d@1': torchQnnpackConvCase,
    'quantized_linear@1': (r) => torchLinearCase(r, 'torch-qnnpack@1'),
    'quantized_linear_dynamic@1': torchDynamicLinearCase,
  },
  onednn: {
    'quantized_conv2d@1': torchOnednnConvCase,
    'quantized_linear@1': (r) => torchLinearCase(r, 'torch-onednn@1'),
    'quantized_linear_dynamic@1': torchOnednnDynamicLinearCase,
  },
};

/** torch26-`engine`'s fuzz catalogue on `cpu`; `cpuFlags` (the CPUID flags torch sees there) is asked once, at the first conv or linear drawn. */
export function torch26FuzzCatalog(engine: TorchEngine, cpu: CpuModel, cpuFlags: (cpu: CpuModel) => readonly string[]): FuzzCatalog {
  let accumulator: string | null | undefined;
  const engineOps = ENGINE_FACTORIES[engine];
  const onEngine = (drawn: CaseFactory): CaseFactory => (r, index) => {
    const request = onednnV2(drawn(r, index));
    if (accumulator === undefined) accumulator = torchUniformAccumulator(engine, cpuFlags(cpu));
    return accumulator === null ? request : { ...request, attrs: { ...request.attrs, accumulator } };
  };
  return [
    ...CATALOG.map(({ op, factory }) => ({ op, factory: engineOps[op] ? onEngine(engineOps[op]) : factory })),
    ...TORCH2_FUZZ_CATALOG,
    ...(['quantized_linear@1', 'quantized_linear_dynamic@1'] as const).map((op) => ({ op, factory: onEngine(engineOps[op]!) })),
  ];
}
