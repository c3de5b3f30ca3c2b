/**
 * The torch linear vector set (vectors/torch-1.13-linear): quantized::linear(_relu) on qnnpack and onednn and
 * quantized::linear(_relu)_dynamic on qnnpack (the first 400) and onednn (the 300 after them), through real
 * torch 1.13.1 on the host (AVX512-VNNI: onednn's accumulator is exact, int32_wrap).
 */
import type { LinearOpName } from '../../contract/linear.js';
import type { CaseFactory } from './builders.js';
import { torchDrawnDynamicLinearCase, torchDynamicLinearCase, torchOnednnDynamicLinearCase, torchStaticLinearCase } from './linear_cases.js';

export const TORCH_LINEAR_GENERATOR_VERSION = 1;
export const TORCH_LINEAR_SEED = 'qconform-torch-1.13-linear-v1';

/** The qnnpack dynamic linears the set was first written with; the onednn ones follow (same random stream). */
export const TORCH_QNNPACK_DYNAMIC_LINEARS = 400;
const TORCH_ONEDNN_DYNAMIC_LINEARS = 300;

const dynamicLinearCases: CaseFactory = (r, i) => (i < TORCH_QNNPACK_DYNAMIC_LINEARS ? torchDynamicLinearCase(r, i) : torchOnednnDynamicLinearCase(r, i));

export const TORCH_LINEAR_CATALOG: ReadonlyArray<{ op: LinearOpName; count: number; factory: CaseFactory }> = [
  { op: 'quantized_linear@1', count: 600, factory: torchStaticLinearCase },
  { op: 'quantized_linear_dynamic@1', count: TORCH_QNNPACK_DYNAMIC_LINEARS + TORCH_ONEDNN_DYNAMIC_LINEARS, factory: dynamicLinearCases },
];

/** What `--fuzz` draws of the linears: the same generators, the dynamic one drawing its engine per case. */
export const TORCH_LINEAR_FUZZ_CATALOG: ReadonlyArray<{ op: LinearOpName; factory: CaseFactory }> = [
  { op: 'quantized_linear@1', factory: torchStaticLinearCase },
  { op: 'quantized_linear_dynamic@1', factory: torchDrawnDynamicLinearCase },
];
