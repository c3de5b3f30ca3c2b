/**
 * What `qconform run --fuzz` draws for the built-ins whose claims span several vector sets: one generator per op,
 * the generators of the sets that hold the op (the torch 1.13 and 2.6, torch-linear, gemmlowp, ONNX Runtime QDQ and integer-op catalogues).
 * A backend is fuzzed on the ops it claims (runner/fuzz/fuzz_run.ts); the others bring their own catalogue.
 */
import { DYNAMIC_LINEAR_SCHEMES } from '../../contract/linear.js';
import type { CaseFactory } from './builders.js';
import { CATALOG } from './catalog.js';
import { ORT_CATALOG, ORT_QDQ_CATALOG } from './ort_catalog.js';
import { GEMMLOWP_CATALOG } from './native_catalog.js';
import { ORT_OPS_CATALOG } from './ort_ops_catalog.js';
import { TORCH_LINEAR_CATALOG } from './torch_linear_catalog.js';
import { TORCH2_FUZZ_CATALOG } from './torch26_catalog.js';

type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

/**
 * reference and impl: every op of the contract (torch 1.13 ops and convs, their torch 2.x versions, torch linear, requantize
 * as the gemmlowp set draws it, the ONNX QDQ and integer ops).
 */
export const EVERY_OP_FUZZ_CATALOG: FuzzCatalog = [...CATALOG, ...TORCH2_FUZZ_CATALOG, ...TORCH_LINEAR_CATALOG, ...GEMMLOWP_CATALOG, ...ORT_QDQ_CATALOG, ...ORT_OPS_CATALOG];

/** onnxruntime: QLinearConv as ORT's set draws it (scheme onnxruntime@1), the QDQ ops and the integer ops. */
export const ORT_FUZZ_CATALOG: FuzzCatalog = [...ORT_CATALOG, ...ORT_QDQ_CATALOG, ...ORT_OPS_CATALOG];

/**
 * torch-qnnpack / torch-onednn: the torch catalogue and the linear ops, the dynamic linear only on an engine whose scheme
 * qconform models (contract/linear.ts DYNAMIC_LINEAR_SCHEMES: qnnpack; torch 1.13's onednn dynamic linear is not modeled,
 * so every draw would be outside torch-onednn's claims).
 */
export function torchFuzzCatalog(engine: 'qnnpack' | 'onednn'): FuzzCatalog {
  const modeled = (DYNAMIC_LINEAR_SCHEMES as readonly string[]).includes(`torch-${engine}@1`);
  return [...CATALOG, ...TORCH_LINEAR_CATALOG.filter((e) => modeled || e.op !== 'quantized_linear_dynamic@1')];
}
