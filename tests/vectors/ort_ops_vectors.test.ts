import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { impl } from '../../impl/index.js';
import { unfused } from '../../conformance/cases/qlinear_add_witness.js';
import { hexToF32 } from '../../contract/wire.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';
import { unfusedLogistic } from '../../conformance/cases/qlinear_sigmoid_witness.js';
import { f32Mul } from '../../impl/float32.js';
import { quantizeLinearValue } from '../../impl/quantize_linear.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeQLinearSoftmax } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkQLinearSoftmax } from '../../contract/qlinear_softmax_checks.js';
import { ORT_OPS_CATALOG } from '../../conformance/cases/ort_ops_catalog.js';

/**
 * The ONNX integer-op golden vectors from ONNX Runtime 1.30 (vectors/onnxruntime-1.30-ops: MatMulInteger,
 * QLinearMatMul, com.microsoft QGemm, ConvInteger, QLinearAdd, QLinearMul): every case, bit for bit, through the exact reference and
 * the fast impl; also com.microsoft QLinearAdd and QLinearMul. ORT is not needed to run this;
 * tests/backends/ort_ops.test.ts runs ORT itself.
 */
const { manifest, files } = readVectorSet(ORT_OPS_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases);
const dtype = (c: (typeof cases)[number], name: string) => (c.inputs[name] as { dtype: string } | undefined)?.dtype;
const shape = (c: (typeof cases)[number], name: string) => (c.inputs[name] as { shape: number[] } | undefined)?.shape ?? [];

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold every op with a few hundred cases, mostly outputs, and a few typed refusals', () => {
    for (const op of ['matmul_integer@1', 'qlinear_matmul@1', 'qgemm@1', 'conv_integer@1', 'qlinear_add@1', 'qlinear_mul@1']) {
      const mine = cases.filter((c) => c.op === op);
      expect(mine.length, op).toBeGreaterThanOrEqual(300);
      expect(mine.filter((c) => 'outputs' in c.expect).length / mine.length, op).toBeGreaterThan(0.9);
      expect(mine.some((c) => 'error' in c.expect), op).toBe(true);
    }
  });

  it('cover every dtype combination ORT registers, per-column b parameters, batched and 1-D matmuls, float QGemm', () => {
    const ok = cases.filter((c) => 'outputs' in c.expect);
    const combos = (op: string, a: string, b: string) => new Set(ok.filter((c) => c.op === op).map((c) => `${dtype(c, a)}x${dtype(c, b)}`));
    expect([...combos('matmul_integer@1', 'a', 'b')].sort()).toEqual(['qint8xqint8', 'qint8xquint8', 'quint8xqint8', 'quint8xquint8']);
    expect([...combos('qlinear_matmul@1', 'a', 'b')].sort()).toEqual(['qint8xqint8', 'quint8xqint8', 'quint8xquint8']);
    expect([...combos('qgemm@1', 'a', 'b')].sort()).toEqual(['qint8xqint8', 'quint8xqint8', 'quint8xquint8']);
    expect([...combos('conv_integer@1', 'x', 'w')].sort()).toEqual(['qint8xqint8', 'qint8xquint8', 'quint8xqint8', 'quint8xquint8']);
    const qlinear = ok.filter((c) => c.op === 'qlinear_matmul@1');
    expect(qlinear.filter((c) => shape(c, 'b_scale').reduce((x, y) => x * y, 1) > 1).length).toBeGreaterThan(50);
    expect(qlinear.filter((c) => shape(c, 'a').length > 2).length).toBeGreaterThan(20);
    expect(ok.filter((c) => c.op !== 'conv_integer@1' && (shape(c, 'a').length === 1 || shape(c, 'b').length === 1)).length).toBeGreaterThan(5);
    expect(ok.filter((c) => c.op === 'qgemm@1' && !c.inputs.y_scale).length).toBeGreaterThan(50);
    expect(ok.filter((c) => c.op === 'qgemm@1' && c.attrs.trans_a === true).length).toBeGreaterThan(50);
    const binary = ok.filter((c) => c.op === 'qlinear_add@1' || c.op === 'qlinear_mul@1');
    const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
    expect(binary.filter((c) => count(shape(c, 'a')) === 1).length, 'one-element a (ORT swaps the roles)').toBeGreaterThan(30);
    expect(binary.filter((c) => count(shape(c, 'b')) === 1 && count(shape(c, 'a')) > 1).length).toBeGreaterThan(30);
    expect(binary.filter((c) => count(shape(c, 'a')) >= 256 || count(shape(c, 'b')) >= 256).length, 'grids of every value').toBeGreaterThan(30);
    expect([...new Set(binary.map((c) => dtype(c, 'a')))].sort()).toEqual(['qint8', 'quint8']);
  });

  it("hold QLinearAdd cases where ORT's outputs refute the unfused float steps (GCC's FMAs are real)", () => {
    const refuted = cases.filter((c) => {
      if (c.op !== 'qlinear_add@1' || !('outputs' in c.expect)) return false;
      const i = c.inputs as Record<string, { values?: number[]; hex?: string[]; dtype: string }>;
      const [a, b] = [i.a!.values!, i.b!.values!];
      if (a.length !== 1 && b.length !== 1) return false;
      const s = (n: string) => hexToF32(i[n]!.hex![0]!);
      const z = (n: string) => i[n]?.values?.[0] ?? 0;
      const dt = i.a!.dtype as 'quint8' | 'qint8';
      const plain = a.length === 1 && b.length !== 1
        ? unfused(b, a[0]!, s('b_scale'), z('b_zero_point'), s('a_scale'), z('a_zero_point'), s('c_scale'), z('c_zero_point'), dt)
        : unfused(a, b[0]!, s('a_scale'), z('a_zero_point'), s('b_scale'), z('b_zero_point'), s('c_scale'), z('c_zero_point'), dt);
      return JSON.stringify(plain) !== JSON.stringify((c.expect.outputs.y as { values: number[] }).values);
    });
    expect(refuted.length).toBeGreaterThan(20);
  });

  it('hold QLinearLeakyRelu and QLinearSigmoid cases: full tables of both dtypes, a few typed refusals', () => {
    for (const op of ['qlinear_leaky_relu@1', 'qlinear_sigmoid@1']) {
      const mine = cases.filter((c) => c.op === op);
      expect(mine.length, op).toBeGreaterThanOrEqual(200);
      const ok = mine.filter((c) => 'outputs' in c.expect);
      expect(ok.length / mine.length, op).toBeGreaterThan(0.9);
      expect(mine.some((c) => 'error' in c.expect), op).toBe(true);
      expect(ok.filter((c) => new Set((c.inputs.x as { values: number[] }).values).size === 256).length, op).toBeGreaterThan(100);
      expect([...new Set(ok.map((c) => dtype(c, 'x')))].sort()).toEqual(['qint8', 'quint8']);
      expect(ok.some((c) => !c.inputs.x_zero_point) && ok.some((c) => !c.inputs.y_zero_point), op).toBe(true);
    }
  });

  it("hold QLinearSigmoid cases where ORT's outputs refute MLAS's logistic with unfused multiply-adds (the FMA3 kernel runs)", () => {
    const refuted = cases.filter((c) => {
      if (c.op !== 'qlinear_sigmoid@1' || !('outputs' in c.expect)) return false;
      const i = c.inputs as Record<string, { values?: number[]; hex?: string[]; dtype: string }>;
      const dt = i.x!.dtype;
      const [lo, hi] = dt === 'qint8' ? [-128, 127] : [0, 255];
      const [xs, ys] = [hexToF32(i.x_scale!.hex![0]!), hexToF32(i.y_scale!.hex![0]!)];
      const [zx, zy] = [i.x_zero_point?.values?.[0] ?? 0, i.y_zero_point?.values?.[0] ?? 0];
      const plain = i.x!.values!.map((v) => quantizeLinearValue(unfusedLogistic(f32Mul(xs, v - zx)), ys, zy, lo, hi));
      return JSON.stringify(plain) !== JSON.stringify((c.expect.outputs.y as { values: number[] }).values);
    });
    expect(refuted.length).toBeGreaterThan(5);
  });

  it('hold QLinearSoftmax cases: both dtypes, opset 13 and below, every axis position, saturated int8 outputs, a few typed refusals', () => {
    const mine = cases.filter((c) => c.op === 'qlinear_softmax@1');
    expect(mine.length).toBeGreaterThanOrEqual(200);
    const ok = mine.filter((c) => 'outputs' in c.expect);
    expect(ok.length / mine.length).toBeGreaterThan(0.9);
    expect(mine.some((c) => 'error' in c.expect)).toBe(true);
    expect([...new Set(ok.map((c) => dtype(c, 'x')))].sort()).toEqual(['qint8', 'quint8']);
    expect(ok.filter((c) => (c.attrs.opset as number) < 13 && shape(c, 'x').length > 1).length).toBeGreaterThan(20);
    const notLast = ok.filter((c) => {
      const rank = shape(c, 'x').length;
      const axis = (c.attrs.axis as number | undefined) ?? ((c.attrs.opset as number) < 13 ? 1 : -1);
      return (c.attrs.opset as number) >= 13 && (axis < 0 ? axis + rank : axis) < rank - 1;
    });
    expect(notLast.length, 'a softmax axis ORT transposes to the end').toBeGreaterThan(20);
    // int8 cases with some r_k + z_y > 127: ORT 1.30 saturates them to 127 (onnxruntime#29728), where 1.2x wrapped
    const saturated = ok.filter((c) => {
      if (dtype(c, 'x') !== 'qint8') return false;
      const a = decodeQLinearSoftmax(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));
      const g = checkQLinearSoftmax('probe', a);
      for (let r = 0; r < g.rows; r++) {
        const row = Array.from({ length: g.reduceLength }, (_, k) => a.x.data[g.rowStart(r) + k * g.stride] as number);
        const m = Math.max(...row);
        const sum = row.reduce((s, v) => Math.fround(s + (g.expTable[255 - m + v] as number)), 0);
        if (row.some((v) => Math.round(Math.fround(Math.fround((g.expTable[255 - m + v] as number) * g.yScaleFloor) / sum)) + g.yZeroPoint > 128)) return true;
      }
      return false;
    });
    expect(saturated.length, 'int8 cases with outputs saturated at 127').toBeGreaterThan(10);
  });

  itMatchesEveryCase('onnxruntime-1.30-ops', files);
});

/**
 * The same generator through ORT under qemu-x86_64-static -cpu Haswell (vectors/onnxruntime-1.30-ops-haswell, every
 * 4th request): MLAS's u8 x s8 AVX2 GEMM saturates int16 pairs (`sat16_pairs_im2col` in each case's attrs, from
 * ort_cpu_paths.ts ortGemmPath), for a x b in the matmuls and for uint8 weights x int8 activations in ConvInteger; and
 * along the NHWC im2col row for uint8 activations in com.microsoft QLinearConv (qlinear_conv_nhwc@1, ortConvPath).
 */
describe('golden vectors from ORT 1.30 on an AVX2 CPU without VNNI (qemu -cpu Haswell)', () => {
  const haswell = readVectorSet(ORT_OPS_HASWELL_VECTORS_DIR);
  it('hold saturating u8 x s8 GEMMs of every op, whose outputs differ from int32_wrap', () => {
    const sat = haswell.files.flatMap((f) => f.cases).filter((c) => c.attrs.accumulator === 'sat16_pairs_im2col' && 'outputs' in c.expect);
    const gemmOps = ['matmul_integer@1', 'qlinear_matmul@1', 'qgemm@1', 'conv_integer@1', 'matmul_integer_to_float@1', 'dynamic_quantize_matmul@1', 'dynamic_quantize_lstm@1', 'qlinear_conv_nhwc@1', 'qattention@1'];
    expect(new Set(sat.map((c) => c.op))).toEqual(new Set(gemmOps));
    expect(haswell.files.map((f) => f.file.op).sort()).toEqual(ORT_OPS_CATALOG.map((e) => e.op).sort());
    const differ = sat.filter((c) => JSON.stringify(evaluateRequest(impl, { ...c, attrs: { ...c.attrs, accumulator: 'int32_wrap' } })) !== JSON.stringify({ id: c.id, outputs: (c.expect as { outputs: unknown }).outputs }));
    expect(differ.length).toBeGreaterThan(20);
    expect(new Set(differ.map((c) => c.op)).size).toBe(gemmOps.length);
  });

  itMatchesEveryCase('onnxruntime-1.30-ops-haswell', haswell.files);
});
