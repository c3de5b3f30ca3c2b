/** The types of a golden vector set (docs/vectors.md) and where the committed sets live. */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package_root.js';
import type { WireOutputs, WireRequest } from '../protocol/messages.js';

export interface VectorCase extends WireRequest {
  attrs: Record<string, unknown>;
  inputs: Record<string, unknown>;
  expect: { outputs: WireOutputs } | { error: { code: string; oracle_message?: string; oracle_outputs?: WireOutputs; deviation?: string } };
}

export interface ManifestFile {
  path: string;
  op: string;
  cases: number;
  sha256: string;
}

export interface Manifest {
  format: 'qconform-vectors/1';
  generator_version: number;
  seed: string;
  oracle: string;
  provenance: Record<string, unknown>;
  files: ManifestFile[];
}

export const VECTORS_ROOT = join(PACKAGE_ROOT, 'vectors');
export const TORCH_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13');
/** QLinearConv vectors from onnxruntime-node (scripts/vectors/ort_cli.ts). */
export const ORT_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30');
/** ONNX integer ops (MatMulInteger, QLinearMatMul, com.microsoft QGemm, ConvInteger) from onnxruntime-node (scripts/vectors/ort_ops_cli.ts). */
export const ORT_OPS_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30-ops');
/** Every 4th request of that set through ORT under qemu -cpu Haswell (AVX2, no VNNI): u8 x s8 GEMMs saturate int16 pairs. */
export const ORT_OPS_HASWELL_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30-ops-haswell');
/** The same QLinearConv requests through ORT on an AVX2 CPU without VNNI (qemu -cpu Haswell), each with its route's accumulator. */
export const ORT_HASWELL_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30-haswell');
/** torch 1.13 quantized::linear (qnnpack, onednn) and linear_dynamic (qnnpack) on the host (scripts/vectors/torch_linear_cli.ts). */
export const TORCH_LINEAR_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-linear');
/** torch 1.13 quantized::add / add_relu under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_add_cli.ts). */
export const TORCH_ADD_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-add');
/** torch 2.6 quantized::add / add_relu (quantized_add@2) under ATEN_CPU_CAPABILITY default, avx2 and avx512, in its chroot (scripts/vectors/torch_add_cli.ts --torch26). */
export const TORCH26_ADD_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-add');
/** torch 1.13 adaptive_avg_pool2d on quantized tensors, identical under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_pool_cli.ts). */
export const TORCH_POOL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-pool');
/** torch 1.13 quantized::cat / cat_relu under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_cat_cli.ts). */
export const TORCH_CAT_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-cat');
/** torch 2.6 quantized::cat / cat_relu (quantized_cat@2) under ATEN_CPU_CAPABILITY default, avx2 and avx512, in its chroot (scripts/vectors/torch_cat_cli.ts --torch26). */
export const TORCH26_CAT_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-cat');
/** torch 1.13 avg_pool2d on quantized tensors under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_avg_pool_cli.ts). */
export const TORCH_AVG_POOL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-avg-pool');
/** torch 1.13 quantized::add / add_relu on the qnnpack engine (QNNPACK's add, qnnpack_add@1; scripts/vectors/torch_qnnpack_cli.ts). */
export const TORCH_QNNPACK_ADD_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-qnnpack-add');
/** torch 1.13 quantized::add on qint8 under the qnnpack engine (XNNPACK's qs8 add, xnnpack_add@1; scripts/vectors/torch_qnnpack_cli.ts). */
export const TORCH_XNNPACK_ADD_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-xnnpack-add');
/** torch 1.13 avg_pool2d on quint8 under the qnnpack engine (QNNPACK's average pooling, qnnpack_avg_pool2d@1; scripts/vectors/torch_qnnpack_cli.ts). */
export const TORCH_QNNPACK_AVG_POOL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-qnnpack-avg-pool');
/** torch 1.13 Tensor.mean over [2, 3] of quint8 under the qnnpack engine (QNNPACK's global average pooling, qnnpack_mean@1; scripts/vectors/torch_qnnpack_cli.ts). */
export const TORCH_QNNPACK_MEAN_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-qnnpack-mean');
/** torch 1.13 quantized::hardswish under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_elementwise_cli.ts). */
export const TORCH_HARDSWISH_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-hardswish');
/** torch 1.13 hardsigmoid on quantized tensors under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_elementwise_cli.ts). */
export const TORCH_HARDSIGMOID_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-hardsigmoid');
/** torch 1.13 quantized::mul / mul_relu (qmul_kernel) under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_elementwise_cli.ts). */
export const TORCH_MUL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-mul');
/** torch 1.13 Tensor.mean over H and W of quantized tensors under ATEN_CPU_CAPABILITY default, avx2 and avx512 (scripts/vectors/torch_mean_cli.ts). */
export const TORCH_MEAN_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-mean');
/** torch 2.6's answers to that set's requests (quantized_mean@2), in its chroot (scripts/vectors/torch_mean_cli.ts --torch26). */
export const TORCH26_MEAN_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-mean');
/** torch 1.13 Hardswish and Hardsigmoid of quint8 under the qnnpack engine (QNNPACK's tables, qnnpack_hardswish@1, qnnpack_hardsigmoid@1; scripts/vectors/torch_qnnpack_cli.ts). */
export const TORCH_QNNPACK_HARDSWISH_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-qnnpack-hardswish');
export const TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-qnnpack-hardsigmoid');
/** torch 2.6's answers to those three sets' requests (quantized_hardswish@2, quantized_hardsigmoid@2, quantized_mul@2), in its chroot (scripts/vectors/torch_elementwise_cli.ts --torch26). */
export const TORCH26_HARDSWISH_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-hardswish');
export const TORCH26_HARDSIGMOID_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-hardsigmoid');
export const TORCH26_MUL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-mul');
/** torch 2.6 avg_pool2d on quantized tensors (quantized_avg_pool2d@2), the same requests, in its chroot (scripts/vectors/torch_avg_pool_cli.ts --torch26). */
export const TORCH26_AVG_POOL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-avg-pool');
/** torch 1.13 onednn convs on an AVX2 CPU without VNNI (qemu -cpu Haswell). */
export const TORCH_ONEDNN_HASWELL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-onednn-haswell');
/** The torch catalogue through real PyTorch 2.6 (Debian 13's python3-torch in a chroot; scripts/vectors/torch26_cli.ts). */
export const TORCH26_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6');
/** The torch 1.13 linear requests through PyTorch 2.6 (scripts/vectors/torch26_cli.ts --linear), onednn's as torch-onednn@2. */
export const TORCH26_LINEAR_VECTORS_DIR = join(VECTORS_ROOT, 'torch-2.6-linear');
/** Convolutions from XNNPACK (Debian libxnnpack-dev, 2022-02-16 snapshot) and requantizations from gemmlowp (scripts/vectors/native_cli.ts). */
export const XNNPACK_VECTORS_DIR = join(VECTORS_ROOT, 'xnnpack-2022');
/** XNNPACK's arm64 NEON kernels (Debian's arm64 libxnnpack under qemu-aarch64-static). */
export const XNNPACK_ARM64_VECTORS_DIR = join(VECTORS_ROOT, 'xnnpack-2022-arm64');
export const GEMMLOWP_VECTORS_DIR = join(VECTORS_ROOT, 'gemmlowp');
/** Convolutions from TFLite in LiteRT.js 2.5 (builtin kernels and XNNPACK delegate; scripts/vectors/litert_cli.ts). */
export const LITERT_VECTORS_DIR = join(VECTORS_ROOT, 'litert-2.5');
/** Written by MLIR 19's TOSA lowering (npm run vectors:write:tosa). */
export const TOSA_VECTORS_DIR = join(VECTORS_ROOT, 'tosa-mlir-19');
/** QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear from onnxruntime-node (scripts/vectors/ort_qdq_cli.ts). */
export const ORT_QDQ_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30-qdq');
/** The ONNX project's own backend node tests (Debian libonnx-testdata), imported by scripts/vectors/onnx_testdata_cli.ts. */
export const ONNX_TESTDATA_VECTORS_DIR = join(VECTORS_ROOT, 'onnx-testdata-1.12');
/** Every committed vector set. */
export const COMMITTED_VECTOR_DIRS = [TORCH_VECTORS_DIR, TORCH26_VECTORS_DIR, ORT_VECTORS_DIR, XNNPACK_VECTORS_DIR, GEMMLOWP_VECTORS_DIR, LITERT_VECTORS_DIR, TOSA_VECTORS_DIR, ORT_HASWELL_VECTORS_DIR, TORCH_ONEDNN_HASWELL_VECTORS_DIR, XNNPACK_ARM64_VECTORS_DIR, TORCH_LINEAR_VECTORS_DIR, TORCH26_LINEAR_VECTORS_DIR, ORT_QDQ_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR, ORT_OPS_VECTORS_DIR, ORT_OPS_HASWELL_VECTORS_DIR, TORCH_ADD_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH26_ADD_VECTORS_DIR, TORCH_CAT_VECTORS_DIR, TORCH26_CAT_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR, TORCH26_AVG_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH_XNNPACK_ADD_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_MUL_VECTORS_DIR, TORCH26_HARDSWISH_VECTORS_DIR, TORCH26_HARDSIGMOID_VECTORS_DIR, TORCH26_MUL_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR, TORCH26_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR] as const;
