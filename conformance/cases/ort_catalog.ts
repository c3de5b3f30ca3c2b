/** The ONNX Runtime vector set: its generators, counts and seed (the torch set's are in catalog.ts). */
import type { CaseFactory } from './builders.js';
import { ortConvCase } from './conv_cases.js';

export const ORT_GENERATOR_VERSION = 1;
export const ORT_DEFAULT_SEED = 'qconform-onnxruntime-1.30-v1';

export const ORT_CATALOG: ReadonlyArray<{ op: 'quantized_conv2d@1'; count: number; factory: CaseFactory }> = [{ op: 'quantized_conv2d@1', count: 1500, factory: ortConvCase }];
