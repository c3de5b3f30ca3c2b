/**
 * Rejected readings of MatMulIntegerToFloat's float32 output step (reference/onnx/matmul_integer_to_float.ts models
 * ORT 1.30: f32(f32(f32(acc) * f32(a_scale * b_scale)) + bias)). Each alternative is a plausible compilation or
 * reading of MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR that ORT's outputs refute; tests/vectors/ort_ops_vectors.test.ts
 * counts the golden cases on which each one differs from ORT. They model nothing.
 */
import { f32Fma } from '../../impl/float32.js';

const f = Math.fround;

export type IntegerToFloatForm = (acc: number, aScale: number, bScale: number, bias: number | null) => number;

export const REJECTED_INTEGER_TO_FLOAT_FORMS: Readonly<Record<string, IntegerToFloatForm>> = {
  /** the bias add contracted into the multiply (vfmadd) */
  fusedBias: (acc, as, bs, bias) => (bias === null ? f(f(acc) * f(as * bs)) : f32Fma(f(acc), f(as * bs), bias)),
  /** the scales applied one after the other to the converted accumulator */
  scalesInTurn: (acc, as, bs, bias) => {
    const y = f(f(f(acc) * as) * bs);
    return bias === null ? y : f(y + bias);
  },
  /** acc * a_scale * b_scale in double, rounded once */
  doubleProduct: (acc, as, bs, bias) => {
    const y = f(acc * as * bs);
    return bias === null ? y : f(y + bias);
  },
};
