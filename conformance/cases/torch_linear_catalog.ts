/**
 * The torch linear vector set (vectors/torch-1.13-linear): quantized::linear(_relu) on qnnpack and onednn and
 * quantized::linear(_relu)_dynamic on qnnpack, through real torch 1.13.1 on the host (AVX512-VNNI: onednn's
 * accumulator is exact, int32_wrap).
 */
import type { LinearOpName } from '../../contract/linear.js';
import type { CaseFactory } from './builders.js';
import { torchDynamicLinearCase, torchStaticLinearCase } from './linear_cases.js';

export const TORCH_LINEAR_GENERATOR_VERSION = 1;
export const TORCH_LINEAR_SEED = 'qconform-torch-1.13-linear-v1';

export const TORCH_LINEAR_CATALOG: ReadonlyArray<{ op: LinearOpName; count: number; factory: CaseFactory }> = [
  { op: 'quantized_linear@1', count: 600, factory: torchStaticLinearCase },
  { op: 'quantized_linear_dynamic@1', count: 400, factory: torchDynamicLinearCase },
];
