/**
 * b's per-column scale and zero point (contract/onnx_matmul_checks.ts bParamIndex, the one indexing rule): the exact
 * reference and the fast impl give the same bytes on matmuls whose b scale and b zero point take their layouts
 * independently (per tensor [] or [1], per column [N], [1, N] or b's shape with dim -2 = 1) over batched b, as ORT 1.30
 * takes them for QLinearMatMul, MatMulInteger and MatMulIntegerToFloat, and on QGemm's per-column [N] pairs. Every
 * per-column value differs from its neighbours and from the other batches' (so reading column j of the wrong batch, or
 * column 0 for all, changes the output). Not vacuous: counters show mixed layouts (a per-tensor scale with a
 * per-column zero point and the reverse) on batched b, and outputs that change when the per-column values are
 * permuted within their tensor (the indexing matters to the result).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex64, wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

type Layout = 'scalar' | 'one' | 'column';
type Op = 'qlinear_matmul@1' | 'matmul_integer@1' | 'matmul_integer_to_float@1' | 'qgemm@1';

interface Draw {
  readonly op: Op;
  readonly bBatch: readonly number[];
  readonly aBatch: readonly number[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly scale: Layout;
  readonly zp: Layout;
  /** for a 2-D b's per-column parameter: [N] (true) or [1, N] */
  readonly flat: boolean;
  readonly seed: number;
}

const layout = fc.constantFrom<Layout>('scalar', 'one', 'column', 'column');

const draws: fc.Arbitrary<Draw> = fc
  .record({
    op: fc.constantFrom<Op>('qlinear_matmul@1', 'matmul_integer@1', 'matmul_integer_to_float@1', 'qgemm@1'),
    bBatch: fc.constantFrom<number[]>([], [2], [3], [2, 2], [1, 3]),
    broadcastA: fc.boolean(),
    m: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 5 }),
    n: fc.integer({ min: 2, max: 5 }),
    scale: layout,
    zp: layout,
    flat: fc.boolean(),
    seed: fc.nat(),
  })
  .map(({ broadcastA, ...d }): Draw => {
    // QGemm: one 2-D GEMM, b_scale and b_zero_point of one shape (quant_gemm.cc CheckInputs)
    if (d.op === 'qgemm@1') return { ...d, bBatch: [], aBatch: [], zp: d.scale, flat: true };
    // a's batch: b's, or with a leading 2 that b's batch broadcasts against (a [2, M, K] over a 2-D b)
    return { ...d, aBatch: broadcastA ? [2, ...d.bBatch] : d.bBatch };
  });

/** A small deterministic generator from the drawn seed (values are data, not shapes). */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

function paramShape(l: Layout, d: Draw): number[] {
  if (l === 'scalar') return [];
  if (l === 'one') return [1];
  if (d.bBatch.length === 0) return d.flat ? [d.n] : [1, d.n];
  return [...d.bBatch, 1, d.n];
}

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The request, and the same request with each per-column parameter's values reversed (a different indexing outcome). */
function request(d: Draw, reversed: boolean): WireRequest {
  const next = lcg(d.seed);
  const int = (lo: number, hi: number) => lo + (next() % (hi - lo + 1));
  const aShape = [...d.aBatch, d.m, d.k];
  const bShape = d.op === 'qgemm@1' ? [d.k, d.n] : [...d.bBatch, d.k, d.n];
  const a = Array.from({ length: numel(aShape) }, () => int(0, 255));
  const b = Array.from({ length: numel(bShape) }, () => int(-128, 127));
  const sShape = paramShape(d.scale, d);
  const zShape = paramShape(d.zp, d);
  // distinct per position: scales 2^-e (e = 4 + position mod 7, varied by the seed), zero points -60 + 7 * position mod 121
  const scales = Array.from({ length: numel(sShape) }, (_, i) => 2 ** -(4 + ((i + int(0, 6)) % 7)) * (1 + (i % 3) / 4));
  const zps = Array.from({ length: numel(zShape) }, (_, i) => ((i * 7 + int(0, 20)) % 121) - 60);
  const order = <T,>(xs: T[]) => (reversed ? [...xs].reverse() : xs);
  const inputs: Record<string, unknown> = {
    a: wireInt('quint8', aShape, a),
    b: wireInt('qint8', bShape, b),
    b_zero_point: wireInt('qint8', zShape, order(zps)),
  };
  const attrs: Record<string, unknown> = { accumulator: 'int32_wrap' };
  if (d.op !== 'matmul_integer@1') inputs.b_scale = wireF32(sShape, order(scales));
  if (d.op === 'qlinear_matmul@1' || d.op === 'qgemm@1') {
    inputs.a_scale = wireF32([], [0.5]);
    inputs.a_zero_point = wireInt('quint8', [], [int(100, 156)]);
    inputs.y_scale = wireF32([], [2 ** int(0, 4)]);
    inputs.y_zero_point = wireInt('quint8', [], [int(100, 156)]);
  }
  if (d.op === 'matmul_integer@1') inputs.a_zero_point = wireInt('quint8', [], [int(100, 156)]);
  if (d.op === 'matmul_integer_to_float@1') {
    inputs.a_scale = wireF32([], [0.25]);
    inputs.a_zero_point = wireInt('quint8', [], [int(100, 156)]);
  }
  if (d.op === 'qgemm@1') Object.assign(attrs, { trans_a: false, trans_b: false, alpha: hex64(1) });
  return { id: `b-param-${d.seed}`, op: d.op, attrs, inputs };
}

const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error : r.outputs);

const RUNS = 400;

describe('b scale / zero point indexing (bParamIndex): reference and impl agree on mixed layouts and batched b', () => {
  it('qlinear_matmul, matmul_integer, matmul_integer_to_float, qgemm, not vacuously', () => {
    const n = { cases: 0, outputs: 0, mixedBatched: 0, scaleColumnsZpTensor: 0, scaleTensorZpColumns: 0, indexingMatters: 0, qgemmColumns: 0 };
    checkProperty('b parameter indexing agrees', draws, (d) => {
      const req = request(d, false);
      const [ref, imp] = [evaluateRequest(reference, req), evaluateRequest(impl, req)];
      if (identity(ref) !== identity(imp)) throw new Error(`${d.op} b_scale ${d.scale} b_zero_point ${d.zp} b batch [${d.bBatch}]\nreference ${identity(ref).slice(0, 300)}\nimpl ${identity(imp).slice(0, 300)}`);
      n.cases++;
      if ('error' in ref) throw new Error(`refused: ${JSON.stringify(ref.error)}`);
      n.outputs++;
      const hasScale = d.op !== 'matmul_integer@1';
      const columns = (l: Layout) => l === 'column';
      if (hasScale && columns(d.scale) !== columns(d.zp) && d.bBatch.length > 0) n.mixedBatched++;
      if (hasScale && columns(d.scale) && !columns(d.zp)) n.scaleColumnsZpTensor++;
      if (hasScale && !columns(d.scale) && columns(d.zp)) n.scaleTensorZpColumns++;
      if (d.op === 'qgemm@1' && columns(d.scale)) n.qgemmColumns++;
      if (identity(evaluateRequest(reference, request(d, true))) !== identity(ref)) n.indexingMatters++;
    }, RUNS);
    expect(n.cases).toBe(RUNS);
    expect(n.outputs).toBe(RUNS);
    expect(n.mixedBatched, 'mixed layouts on a batched b').toBeGreaterThan(30);
    expect(n.scaleColumnsZpTensor).toBeGreaterThan(20);
    expect(n.scaleTensorZpColumns).toBeGreaterThan(20);
    expect(n.qgemmColumns).toBeGreaterThan(20);
    expect(n.indexingMatters, 'outputs that change when the per-column values are reversed').toBeGreaterThan(RUNS * 0.4);
  });
});
