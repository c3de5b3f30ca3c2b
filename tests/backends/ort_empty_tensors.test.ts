/**
 * Empty tensors as ONNX Runtime 1.30 (onnxruntime-node, in process) computes them: matmuls with M = 0, N = 0 or an empty
 * batch (MatMulInteger, QLinearMatMul, QGemm quantized and float, MatMulIntegerToFloat, DynamicQuantizeMatMul,
 * MatMulInteger16), MatMulNBits with no rows, GatherBlockQuantized with empty indices, QLinearAdd / QLinearMul with an
 * empty broadcast: ORT returns an empty output and reference and impl give the same dtype and shape. Batch broadcasting
 * with empty dimensions, as MatMulComputeHelper (matmul_helper.h) does it: a 0 broadcasts only against a 0 outside its
 * 2-D path, so ORT refuses what numpy would broadcast to an empty batch, and qconform refuses it too. K = 0 with a
 * non-empty output: MatMulInteger16 gives zeros (Eigen), bit for bit with ORT; every MLAS GEMM op is refused with a
 * shape_mismatch that says why (ORT leaves its output unwritten: contract/onnx_matmul_checks.ts EMPTY_K).
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { installedOrt } from '../support/installed_ort.js';

const n = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);
const u8 = (s: number[], v = 7) => wireInt('quint8', s, Array(n(s)).fill(v));
const s8 = (s: number[], v = 3) => wireInt('qint8', s, Array(n(s)).fill(v));
const f32 = (s: number[], v = 0.5) => wireF32(s, Array(n(s)).fill(v));
const ALPHA_1 = '3ff0000000000000';

/** The matmul ops on a [..., M, K] and b [..., K, N] (or 1-D), zero points, C and bias nonzero (so an unwritten output would show). */
function matmuls(tag: string, sa: number[], sb: number[]): WireRequest[] {
  const N = sb.length === 1 ? 1 : sb[sb.length - 1]!;
  const acc = { accumulator: 'int32_wrap' };
  const out: WireRequest[] = [
    { id: `matmul_integer-${tag}`, op: 'matmul_integer@1', attrs: acc, inputs: { a: u8(sa), b: s8(sb), a_zero_point: u8([], 2), b_zero_point: s8([], 1) } },
    { id: `qlinear_matmul-${tag}`, op: 'qlinear_matmul@1', attrs: acc, inputs: { a: u8(sa), a_scale: f32([]), a_zero_point: u8([], 2), b: s8(sb), b_scale: f32([]), b_zero_point: s8([], 1), y_scale: f32([], 0.25), y_zero_point: u8([], 100) } },
    { id: `matmul_integer_to_float-${tag}`, op: 'matmul_integer_to_float@1', attrs: acc, inputs: { a: u8(sa), a_scale: f32([]), a_zero_point: u8([], 2), b: s8(sb), b_scale: f32([]), b_zero_point: s8([], 1), bias: f32([N], 1.5) } },
    { id: `dynamic_quantize_matmul-${tag}`, op: 'dynamic_quantize_matmul@1', attrs: acc, inputs: { a: f32(sa, 1.25), b: s8(sb), b_scale: f32([]), b_zero_point: s8([], 1), bias: f32([N], 1.5) } },
    { id: `matmul_integer16-${tag}`, op: 'matmul_integer16@1', attrs: {}, inputs: { a: wireInt('int16', sa, Array(n(sa)).fill(5)), b: wireInt('int16', sb, Array(n(sb)).fill(-3)) } },
  ];
  if (sa.length === 2) {
    const gemm = { a: u8(sa), a_scale: f32([]), a_zero_point: u8([], 2), b: s8(sb), b_scale: f32([]), b_zero_point: s8([], 1), c: wireInt('int32', [N], Array(N).fill(40)) };
    out.push({ id: `qgemm-${tag}`, op: 'qgemm@1', attrs: { trans_a: false, trans_b: false, alpha: ALPHA_1, ...acc }, inputs: { ...gemm, y_scale: f32([], 0.25), y_zero_point: u8([], 100) } });
    out.push({ id: `qgemm-float-${tag}`, op: 'qgemm@1', attrs: { trans_a: false, trans_b: false, alpha: ALPHA_1, ...acc }, inputs: gemm });
  }
  return out;
}

/** Committed cases of `op` (the first `count`), their expectations dropped, with `edit` applied. */
function fromVectors(op: string, count: number, edit: (req: WireRequest, i: number) => WireRequest[]): WireRequest[] {
  const cases = readVectorSet(ORT_OPS_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => c.op === op).slice(0, count);
  return cases.flatMap((c, i) => {
    const { expect: _, ...req } = JSON.parse(JSON.stringify(c)) as WireRequest & { expect: unknown };
    return edit(req, i);
  });
}

function emptyRequests(): WireRequest[] {
  const gather = fromVectors('gather_block_quantized@1', 6, (r) =>
    [[0], [2, 0], [0, 3]].map((shape) => ({ ...r, id: `${r.id}-indices${JSON.stringify(shape)}`, inputs: { ...r.inputs, indices: { dtype: (r.inputs!.indices as { dtype: string }).dtype, shape, values: [] } } })),
  );
  const nbits = fromVectors('matmul_nbits@1', 6, (r) =>
    [[0], [2, 0]].map((lead) => ({ ...r, id: `${r.id}-a${JSON.stringify(lead)}`, inputs: { ...r.inputs, a: { dtype: 'float32', shape: [...lead, r.attrs!.K as number], hex: [] } } })),
  );
  const binary = ['qlinear_add@1', 'qlinear_mul@1'].flatMap((op) =>
    fromVectors(op, 2, (r) => {
      const dtype = (r.inputs!.a as { dtype: string }).dtype;
      return [
        { ...r, id: `${r.id}-a[0]`, inputs: { ...r.inputs, a: { dtype, shape: [0], values: [] }, b: { dtype, shape: [1], values: [3] } } },
        { ...r, id: `${r.id}-b[2,0]`, inputs: { ...r.inputs, a: { dtype, shape: [1], values: [3] }, b: { dtype, shape: [2, 0], values: [] } } },
        { ...r, id: `${r.id}-[3,1]x[0]`, inputs: { ...r.inputs, a: { dtype, shape: [3, 1], values: [1, 2, 3] }, b: { dtype, shape: [0], values: [] } } },
      ];
    }),
  );
  return [...matmuls('M0', [0, 3], [3, 4]), ...matmuls('N0', [2, 3], [3, 0]), ...matmuls('batch0', [0, 2, 3], [3, 4]), ...matmuls('M0K0', [0, 0], [0, 4]), ...gather, ...nbits, ...binary];
}

type Tensor = { dtype: string; shape: number[]; values?: number[]; hex?: string[] };
const outputOf = (r: unknown): Tensor | string => ((r as { outputs?: { y: Tensor } }).outputs?.y ?? JSON.stringify(r).slice(0, 300));

describe('empty tensors, as ONNX Runtime 1.30 computes them', () => {
  it('empty outputs: reference and impl give ORT\'s dtype and shape, with no elements', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const requests = emptyRequests();
    const answers = await runThroughOrt(ort, requests);
    for (const [i, request] of requests.entries()) {
      const want = outputOf(answers[i]);
      expect(typeof want, `${request.id}: ORT answers ${JSON.stringify(want)}`).toBe('object');
      expect(n((want as Tensor).shape), request.id).toBe(0);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        expect(outputOf(evaluateRequest(ops, request)), `${request.id} on ${name} (replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend ${name})`).toEqual(want);
      }
    }
    expect(new Set(requests.map((r) => r.op)).size).toBe(10);
  });

  it('batch broadcasting with empty dimensions: ORT\'s refusals and outputs, as MatMulComputeHelper computes them', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    // [a, b, whether ORT 1.30 refuses]: its 2-D path (b's batch all 1s, rank(a) >= rank(b)) takes a's empty batch
    // unchecked; elsewhere a 0 against a 1 or a missing dim is refused (a 1-D b sets a's M against 1); 0 against 0 is fine.
    const shapes: [number[], number[], boolean][] = [
      [[2, 3], [0, 3, 4], true], [[1, 2, 3], [0, 3, 4], true], [[3], [0, 3, 4], true], [[2, 3], [1, 0, 3, 4], true],
      [[1, 0, 2, 3], [3, 1, 3, 4], true], [[0, 2, 3], [2, 1, 3, 4], true], [[0, 2, 3], [1, 1, 3, 4], true], [[0, 3], [0, 3, 4], true],
      [[0, 3], [3], true], [[0, 2, 3], [3], true], [[2, 0, 3], [3], true], [[0, 0], [0], true],
      [[0, 2, 3], [0, 3, 4], false], [[0, 2, 3], [1, 3, 4], false], [[2, 0, 2, 3], [0, 3, 4], false], [[1, 0, 2, 3], [1, 1, 3, 4], false],
      [[0, 3], [1, 3, 4], false], [[0, 2, 3], [3, 0], false], [[3], [3, 0], false],
      [[2, 1, 2, 3], [3, 3, 4], false], [[3, 1, 2, 3], [2, 3, 4], false], [[3], [2, 3, 4], false], [[2, 2, 3], [3], false], [[2, 3], [2, 3, 4], false],
    ];
    // QGemm (2-D operands, GemmHelper) is not MatMulComputeHelper's
    const cases = shapes.flatMap(([sa, sb, r]) => matmuls(`${JSON.stringify(sa)}x${JSON.stringify(sb)}`, sa, sb).filter((q) => q.op !== 'qgemm@1').map((q) => [q, r] as const));
    const requests = cases.map(([q]) => q);
    const answers = await runThroughOrt(ort, requests);
    for (const [i, request] of requests.entries()) {
      const ortError = (answers[i] as { error?: { message: string } }).error?.message;
      const ortSays = ortError?.match(/(left|right) operand cannot broadcast on dim \d+/)?.[0];
      expect(ortError === undefined ? false : ortSays !== undefined, `${request.id}: ORT answers ${JSON.stringify(answers[i]).slice(0, 300)}`).toBe(cases[i]![1]);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, request);
        const replay = `${request.id} on ${name} (replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend ${name})`;
        if (ortSays) {
          const error = (got as { error?: { code: string; message: string } }).error;
          expect(error?.code, replay).toBe('shape_mismatch');
          expect(error?.message, replay).toContain(ortSays);
        } else {
          expect(typeof outputOf(answers[i]), `${request.id}: ORT answers ${JSON.stringify(answers[i]).slice(0, 300)}`).toBe('object');
          expect(outputOf(got), replay).toEqual(outputOf(answers[i]));
        }
      }
    }
    expect(requests.length).toBe(shapes.length * 5);
  });

  it('K = 0: MatMulInteger16 gives ORT\'s zeros; the MLAS GEMM ops are refused, saying ORT leaves the output unwritten', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const requests = [...matmuls('K0', [2, 0], [0, 4]), ...matmuls('batchK0', [2, 2, 0], [0, 4])];
    const answers = await runThroughOrt(ort, requests);
    for (const [i, request] of requests.entries()) {
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, request);
        const replay = `${request.id} on ${name} (replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend ${name})`;
        if (request.op === 'matmul_integer16@1') {
          const want = outputOf(answers[i]);
          expect((want as Tensor).values, `${request.id}: ORT's zeros`).toEqual(Array(n((want as Tensor).shape)).fill(0));
          expect(outputOf(got), replay).toEqual(want);
        } else {
          const error = (got as { error?: { code: string; message: string } }).error;
          expect(error?.code, replay).toBe('shape_mismatch');
          expect(error?.message, replay).toContain('K = 0 with a non-empty output');
          expect(error?.message, replay).toContain('never writes the output');
        }
      }
    }
  });
});
