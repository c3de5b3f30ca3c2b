/** The vector sets written by the native adapters (conformance/backends/native/): generators, counts and seeds. */
import type { CaseFactory } from './builders.js';
import { xnnpackArm64ConvCase, xnnpackConvCase } from './conv_cases.js';
import { requantizeCase } from './requantize_cases.js';

export interface NativeCatalogEntry {
  readonly op: 'quantized_conv2d@1' | 'requantize@1';
  readonly count: number;
  readonly factory: CaseFactory;
}

export const NATIVE_GENERATOR_VERSION = 1;

export const XNNPACK_DEFAULT_SEED = 'qconform-xnnpack-2022-v1';
export const XNNPACK_CATALOG: readonly NativeCatalogEntry[] = [{ op: 'quantized_conv2d@1', count: 1500, factory: xnnpackConvCase }];

/** XNNPACK's arm64 set (vectors/xnnpack-2022-arm64): the same seed and draws, weights in [-127, 127], each case's scheme per operator (xnnpack_schemes.ts). */
export const XNNPACK_ARM64_CATALOG: readonly NativeCatalogEntry[] = [{ op: 'quantized_conv2d@1', count: 1500, factory: xnnpackArm64ConvCase }];

export const GEMMLOWP_DEFAULT_SEED = 'qconform-gemmlowp-v1';
export const GEMMLOWP_CATALOG: readonly NativeCatalogEntry[] = [{ op: 'requantize@1', count: 1000, factory: requantizeCase }];
