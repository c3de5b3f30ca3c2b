/**
 * The torch 2.6 catalogue (vectors/torch-2.6): the torch 1.13 catalogue with the same seed and the same random
 * streams, so every case is the very request of vectors/torch-1.13 with the same id, and the two sets compare case
 * by case. The ops torch 2.x changed are asked as their @2 (contract/ops.ts): histogram_observer (without the
 * upsample_rate 2.x no longer takes) and the ops whose qint32 range check 2.x widened; onednn convs as torch-onednn@2.
 * The observers' files end with the PT2E quantizers' named configurations (pt2e_quantizer_configs.ts), which 1.13 has not.
 */
import type { WireRequest } from '../protocol/messages.js';
import { CATALOG, DEFAULT_SEED, generateRequests } from './catalog.js';
import { histogramObserverV2Case } from './histogram_cases.js';
import { decomposedQuantizePerTensorCase } from './quantize_cases.js';
import { decomposedChooseQparamsCase, decomposedDequantizePerChannelCase, decomposedDequantizePerTensorCase, decomposedQuantizePerChannelCase } from './decomposed_cases.js';
import type { CaseFactory } from './builders.js';
import type { OpName } from '../../contract/ops.js';
import { PT2E_QUANTIZER_CONFIGS, quantizerConfigRequests } from './pt2e_quantizer_configs.js';
import { TORCH_LINEAR_CATALOG } from './torch_linear_catalog.js';
import { decomposedDequantizePerChannelFuzzCase, decomposedDequantizePerTensorFuzzCase, decomposedQuantizePerChannelFuzzCase, decomposedQuantizePerTensorFuzzCase } from './decomposed_fuzz_cases.js';

export const TORCH26_SEED = DEFAULT_SEED;
/** Bump when the torch 2.6 catalogue's draws change. */
export const TORCH26_GENERATOR_VERSION = 1;

/** The @1 ops torch 2.x answers as @2: each @1 op and its 2.x version. */
export const TORCH2_VERSIONED_OPS: Readonly<Record<string, string>> = {
  'calculate_qmin_qmax@1': 'calculate_qmin_qmax@2',
  'calculate_qparams@1': 'calculate_qparams@2',
  'min_max_observer@1': 'min_max_observer@2',
  'moving_average_min_max_observer@1': 'moving_average_min_max_observer@2',
  'per_channel_min_max_observer@1': 'per_channel_min_max_observer@2',
  'moving_average_per_channel_min_max_observer@1': 'moving_average_per_channel_min_max_observer@2',
  'histogram_observer@1': 'histogram_observer@2',
};

/** torch 2.x's onednn engine requantizes as torch-onednn@2 (oneDNN 3.x); its qnnpack as in 1.13. */
export function onednnV2<R extends Pick<WireRequest, 'attrs'>>(r: R): R {
  return r.attrs?.scheme === 'torch-onednn@1' ? { ...r, attrs: { ...r.attrs, scheme: 'torch-onednn@2' } } : r;
}

/** The ops only torch 2.x has, after the catalogue's: PT2E's quantized_decomposed ops. */
const TORCH2_ONLY: ReadonlyArray<{ op: OpName; count: number; factory: CaseFactory }> = [
  { op: 'decomposed_quantize_per_tensor@1', count: 1200, factory: decomposedQuantizePerTensorCase },
  { op: 'decomposed_dequantize_per_tensor@1', count: 600, factory: decomposedDequantizePerTensorCase },
  { op: 'decomposed_quantize_per_channel@1', count: 800, factory: decomposedQuantizePerChannelCase },
  { op: 'decomposed_dequantize_per_channel@1', count: 600, factory: decomposedDequantizePerChannelCase },
  { op: 'decomposed_choose_qparams@1', count: 800, factory: decomposedChooseQparamsCase },
];

/** Every request of the torch 2.6 set, grouped by op (the 2.x op name), in catalogue order. */
export function torch26Requests(seed: string, countOf: (goldenCount: number) => number = identity): Array<{ op: string; requests: WireRequest[] }> {
  return CATALOG.map(({ op, count, factory }) => {
    const v2 = TORCH2_VERSIONED_OPS[op];
    // drawn from the @1 op's stream: the same inputs (histogramObserverV2Case draws exactly as the @1 factory)
    const requests = generateRequests(op, countOf(count), op === 'histogram_observer@1' ? histogramObserverV2Case : factory, seed);
    if (op === 'quantized_conv2d@1') return { op, requests: requests.map(onednnV2) };
    if (!v2) return { op, requests };
    // after the catalogue's cases: the PT2E quantizers' named configurations of this observer (pt2e_quantizer_configs.ts)
    const named = countOf === identity ? PT2E_QUANTIZER_CONFIGS.filter((c) => c.op === v2).flatMap((c) => quantizerConfigRequests(c, seed)) : [];
    return { op: v2, requests: [...requests.map((r) => ({ ...r, op: v2 })), ...named] };
  }).concat(TORCH2_ONLY.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, countOf(count), factory, seed) })));
}

const identity = (n: number) => n;

/**
 * The torch 2.x-only ops' --fuzz generators: the set's, then (decomposed_fuzz_cases.ts) negative axes, broadcasting
 * per-channel parameters and quant_min > quant_max, which the set's generators do not draw.
 */
const TORCH2_ONLY_FUZZ: Readonly<Record<string, CaseFactory>> = {
  'decomposed_quantize_per_tensor@1': decomposedQuantizePerTensorFuzzCase,
  'decomposed_dequantize_per_tensor@1': decomposedDequantizePerTensorFuzzCase,
  'decomposed_quantize_per_channel@1': decomposedQuantizePerChannelFuzzCase,
  'decomposed_dequantize_per_channel@1': decomposedDequantizePerChannelFuzzCase,
};

/**
 * What `--fuzz` draws of the torch 2.x ops for a backend that claims them (reference, impl, torch26-*): each @2 op from
 * its @1 generator as torch26Requests draws it, and the torch 2.x-only ops (TORCH2_ONLY_FUZZ where it has one).
 */
export const TORCH2_FUZZ_CATALOG: ReadonlyArray<{ op: string; factory: CaseFactory }> = [
  ...CATALOG.flatMap(({ op, factory }) => {
    const v2 = TORCH2_VERSIONED_OPS[op];
    const base = op === 'histogram_observer@1' ? histogramObserverV2Case : factory;
    return v2 ? [{ op: v2, factory: ((r, i) => ({ ...base(r, i), op: v2 })) as CaseFactory }] : [];
  }),
  ...TORCH2_ONLY.map(({ op, factory }) => ({ op, factory: TORCH2_ONLY_FUZZ[op] ?? factory })),
];

/**
 * The torch 2.6 linear set (vectors/torch-2.6-linear): the requests of vectors/torch-1.13-linear (same seed, same
 * ids), the onednn linears (static and dynamic) asked as torch-onednn@2, the scheme torch 2.x's onednn engine answers.
 */
export function torch26LinearRequests(seed: string): Array<{ op: string; requests: WireRequest[] }> {
  return TORCH_LINEAR_CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, seed).map(onednnV2) }));
}
