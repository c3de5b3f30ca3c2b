/**
 * What `qconform run --fuzz` draws for the built-ins whose claims span several vector sets: one generator per op,
 * the generators of the sets that hold the op (the torch 1.13 and 2.6, torch-linear, gemmlowp, ONNX Runtime QDQ and integer-op catalogues),
 * except that ONNX Runtime's QLinearConv (onnxruntime@1 and qlinear_conv_nhwc@1) also draws weight zero points that
 * differ per output channel (ort_fuzz_conv_cases.ts) and onnxruntime@1's and reference / impl's quantized_conv2d@1 edge
 * geometries (a numerator in (-stride, 0), an empty batch: conv_edge_geometry.ts), and its QLinearAdd / QLinearMul every numpy broadcast
 * (ort_fuzz_broadcast_cases.ts), its QGemm / QLinearLeakyRelu alphas any float32 and DynamicQuantizeLSTM's activation
 * parameters non-finite (ort_attribute_fuzz_cases.ts), which its committed sets do not hold.
 * A backend is fuzzed on the ops it claims (runner/fuzz/fuzz_run.ts); the others bring their own catalogue.
 */
import { quantizedAdaptiveAvgPool2dCase } from './quantized_adaptive_avg_pool2d_cases.js';
import { quantizedAdd2FuzzCase, quantizedAddFuzzCase } from './quantized_add_cases.js';
import { quantizedHardActivationFuzzCase } from './quantized_hard_activation_cases.js';
import { quantizedMeanFuzzCase } from './quantized_mean_cases.js';
import { quantizedMulFuzzCase } from './quantized_mul_cases.js';
import type { OpName } from '../../contract/ops.js';
import { quantizedCat2FuzzCase, quantizedCatFuzzCase } from './quantized_cat_cases.js';
import { quantizedAvgPool2d2FuzzCase, quantizedAvgPool2dFuzzCase } from './quantized_avg_pool2d_cases.js';
import { qnnpackAddCase } from './qnnpack_add_cases.js';
import { qnnpackAvgPool2dCase } from './qnnpack_avg_pool2d_cases.js';
import { qnnpackMeanCase } from './qnnpack_mean_cases.js';
import { xnnpackAddCase } from './xnnpack_add_cases.js';
import { qnnpackHardActivationCase } from './qnnpack_hard_activation_cases.js';
import type { CaseFactory } from './builders.js';
import { CATALOG } from './catalog.js';
import { torchEdgeConvCase } from './conv_cases.js';
import { ORT_CATALOG, ORT_QDQ_CATALOG } from './ort_catalog.js';
import { GEMMLOWP_CATALOG } from './native_catalog.js';
import { ORT_OPS_CATALOG } from './ort_ops_catalog.js';
import { qlinearAddFuzzCase, qlinearMulFuzzCase } from './ort_fuzz_broadcast_cases.js';
import { ortFuzzConvCase, qlinearConvNhwcFuzzCase } from './ort_fuzz_conv_cases.js';
import { dynamicQuantizeLstmFuzzCase, qgemmFuzzCase, qlinearLeakyReluFuzzCase } from './ort_attribute_fuzz_cases.js';
import { TORCH_LINEAR_FUZZ_CATALOG } from './torch_linear_catalog.js';
import { TORCH2_FUZZ_CATALOG } from './torch26_catalog.js';

type FuzzCatalog = ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;

const TORCH_ADD_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_add@1', factory: quantizedAddFuzzCase }];
const TORCH_ELEMENTWISE_FUZZ_CATALOG: FuzzCatalog = [
  { op: 'quantized_hardswish@1', factory: quantizedHardActivationFuzzCase('hardswish') },
  { op: 'quantized_hardsigmoid@1', factory: quantizedHardActivationFuzzCase('hardsigmoid') },
  { op: 'quantized_mul@1', factory: quantizedMulFuzzCase },
];
/** The same draws as torch 2.6's @2 op of each (its AVX512 loop's 64-element split). */
const TORCH26_ELEMENTWISE_FUZZ_CATALOG: FuzzCatalog = TORCH_ELEMENTWISE_FUZZ_CATALOG.map(({ op, factory }) => {
  const op2 = op.replace('@1', '@2') as OpName;
  return { op: op2, factory: (r, index) => ({ ...factory(r, index), op: op2 }) };
});
const TORCH_MEAN_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_mean@1', factory: quantizedMeanFuzzCase }];
const TORCH26_MEAN_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_mean@2', factory: (r, index) => ({ ...quantizedMeanFuzzCase(r, index), op: 'quantized_mean@2' }) }];
const TORCH26_ADD_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_add@2', factory: quantizedAdd2FuzzCase }];
const TORCH_POOL_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_adaptive_avg_pool2d@1', factory: quantizedAdaptiveAvgPool2dCase }];
const TORCH_CAT_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_cat@1', factory: quantizedCatFuzzCase }];
const TORCH_AVG_POOL_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_avg_pool2d@1', factory: quantizedAvgPool2dFuzzCase }];
const TORCH26_CAT_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_cat@2', factory: quantizedCat2FuzzCase }];
const TORCH26_AVG_POOL_FUZZ_CATALOG: FuzzCatalog = [{ op: 'quantized_avg_pool2d@2', factory: quantizedAvgPool2d2FuzzCase }];
const TORCH_QNNPACK_FUZZ_CATALOG: FuzzCatalog = [
  { op: 'qnnpack_add@1', factory: qnnpackAddCase },
  { op: 'qnnpack_avg_pool2d@1', factory: qnnpackAvgPool2dCase },
  { op: 'qnnpack_mean@1', factory: qnnpackMeanCase },
  { op: 'xnnpack_add@1', factory: xnnpackAddCase },
  { op: 'qnnpack_hardswish@1', factory: qnnpackHardActivationCase('hardswish') },
  { op: 'qnnpack_hardsigmoid@1', factory: qnnpackHardActivationCase('hardsigmoid') },
];

/**
 * An ONNX Runtime set's catalogue as --fuzz draws it: QLinearConv's generators also draw differing weight zero points
 * (ort_fuzz_conv_cases.ts), QLinearAdd's and QLinearMul's general broadcasts (ort_fuzz_broadcast_cases.ts), QGemm's and
 * QLinearLeakyRelu's alpha any float32, DynamicQuantizeLSTM's activation parameters non-finite (ort_attribute_fuzz_cases.ts).
 */
const ORT_FUZZ_FACTORIES: Readonly<Record<string, CaseFactory>> = {
  'quantized_conv2d@1': ortFuzzConvCase,
  'qlinear_conv_nhwc@1': qlinearConvNhwcFuzzCase,
  'qlinear_add@1': qlinearAddFuzzCase,
  'qlinear_mul@1': qlinearMulFuzzCase,
  'qgemm@1': qgemmFuzzCase,
  'qlinear_leaky_relu@1': qlinearLeakyReluFuzzCase,
  'dynamic_quantize_lstm@1': dynamicQuantizeLstmFuzzCase,
};
const ortFuzzed = (catalog: FuzzCatalog): FuzzCatalog => catalog.map(({ op, factory }) => ({ op, factory: ORT_FUZZ_FACTORIES[op] ?? factory }));
const ORT_CONV_FUZZ_CATALOG = ortFuzzed(ORT_CATALOG);
const ORT_OPS_FUZZ_CATALOG = ortFuzzed(ORT_OPS_CATALOG);

/**
 * reference and impl: every op of the contract (torch 1.13 ops and convs, the convs now and then on edge geometries
 * (conv_cases.ts torchEdgeConvCase), their torch 2.x versions, torch linear, requantize
 * as the gemmlowp set draws it, the ONNX QDQ and integer ops).
 */
export const EVERY_OP_FUZZ_CATALOG: FuzzCatalog = [...CATALOG.map(({ op, factory }) => ({ op, factory: op === 'quantized_conv2d@1' ? torchEdgeConvCase : factory })), ...TORCH2_FUZZ_CATALOG, ...TORCH_LINEAR_FUZZ_CATALOG, ...TORCH_ADD_FUZZ_CATALOG, ...TORCH_ELEMENTWISE_FUZZ_CATALOG, ...TORCH26_ELEMENTWISE_FUZZ_CATALOG, ...TORCH_MEAN_FUZZ_CATALOG, ...TORCH26_MEAN_FUZZ_CATALOG, ...TORCH26_ADD_FUZZ_CATALOG, ...TORCH_POOL_FUZZ_CATALOG, ...TORCH_CAT_FUZZ_CATALOG, ...TORCH26_CAT_FUZZ_CATALOG, ...TORCH_AVG_POOL_FUZZ_CATALOG, ...TORCH26_AVG_POOL_FUZZ_CATALOG, ...TORCH_QNNPACK_FUZZ_CATALOG, ...GEMMLOWP_CATALOG, ...ORT_QDQ_CATALOG, ...ORT_OPS_FUZZ_CATALOG];

/**
 * onnxruntime: QLinearConv as ORT's set draws it (scheme onnxruntime@1) and with differing weight zero points, the QDQ
 * ops and the integer ops (QLinearAdd / QLinearMul also under general broadcasts).
 */
export const ORT_FUZZ_CATALOG: FuzzCatalog = [...ORT_CONV_FUZZ_CATALOG, ...ORT_QDQ_CATALOG, ...ORT_OPS_FUZZ_CATALOG];

/**
 * torch-qnnpack / torch-onednn: the torch catalogue, the linear ops (each linear draws its engine; a backend runs its
 * own), the add, the hard activations, the mul, the mean, the cat and the average pool (each draws an ATen capability; a backend runs its process's), the adaptive
 * average pool and the qnnpack engine's own kernels (QNNPACK's add and average pool, XNNPACK's qint8 add), which either
 * backend's process runs.
 */
export function torchFuzzCatalog(): FuzzCatalog {
  return [...CATALOG, ...TORCH_LINEAR_FUZZ_CATALOG, ...TORCH_ADD_FUZZ_CATALOG, ...TORCH_ELEMENTWISE_FUZZ_CATALOG, ...TORCH_MEAN_FUZZ_CATALOG, ...TORCH_POOL_FUZZ_CATALOG, ...TORCH_CAT_FUZZ_CATALOG, ...TORCH_AVG_POOL_FUZZ_CATALOG, ...TORCH_QNNPACK_FUZZ_CATALOG];
}
