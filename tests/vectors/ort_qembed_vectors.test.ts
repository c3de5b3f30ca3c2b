import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeQEmbedLayerNorm } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { type QEmbedLayerNormGeometry, checkQEmbedLayerNorm } from '../../contract/qembed_layer_norm_checks.js';
import type { QEmbedLayerNormArgs } from '../../contract/onnx_qops.js';
import { f32Fma } from '../../impl/float32.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft QEmbedLayerNormalization (vectors/onnxruntime-1.30-ops and its
 * Haswell twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl, bit for bit): both
 * dtypes, segments or none, masks with values other than 0 and 1, ORT's default epsilon, BERT-wide rows, the default
 * NaN and infinities, and ORT's refusals with the contract's codes (ids outside a table, too few position rows, 8-bit
 * tensors of two dtypes, a negative epsilon, segment inputs given in part). And ORT's outputs refute the float orders the C++ does not run: a fused
 * multiply-add in the last step or in the sum of squares (what -mfma would let GCC contract), a multiplication by
 * f32(1 / e), sums kept in double, and eight-lane vector sums (what -ffast-math would allow): each differs from ORT on
 * many cases, while the source-order model (reference/onnx/qembed_layer_norm.ts) matches every one.
 */
const { host, haswell } = ortOpsCases('qembed_layer_normalization@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const hexOf = (c: Case) => (c.expect as unknown as { outputs: { y: { hex: string[] } } }).outputs.y.hex;
const decoded = (c: Case) => {
  const args = decodeQEmbedLayerNorm(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));
  return { args, g: checkQEmbedLayerNorm('qembed_layer_normalization', args) };
};

type Variant = 'fusedOutput' | 'fusedSquares' | 'reciprocal' | 'doubleSums' | 'laneSums';
const f = Math.fround;

/** A float32 sum in one of the orders: left to right (rounding each step), in double, or over eight lanes. */
function sum(values: readonly number[], order: 'sequential' | 'double' | 'lanes'): number {
  if (order === 'double') return f(values.reduce((s, v) => s + v, 0));
  if (order === 'sequential') return values.reduce((s, v) => f(s + v), 0);
  const lanes = new Array<number>(8).fill(0);
  values.forEach((v, i) => (lanes[i % 8] = f(lanes[i % 8]! + v)));
  return lanes.reduce((s, v) => f(s + v), 0);
}

/** The hex outputs of one alternative float order (all else as ORT's source). */
function alternative(a: QEmbedLayerNormArgs, g: QEmbedLayerNormGeometry, v: Variant): string[] {
  const dq = (q: number, p: { scale: number; zeroPoint: number }) => f((q - p.zeroPoint) * p.scale);
  const order = v === 'doubleSums' ? 'double' : v === 'laneSums' ? 'lanes' : 'sequential';
  const h = g.hidden;
  const out: string[] = [];
  for (let t = 0; t < g.batch * g.sequence; t++) {
    const u = Array.from({ length: h }, (_, i) => {
      let x = f(dq(a.wordEmbedding.data[a.inputIds.data[t]! * h + i]!, g.word) + dq(a.positionEmbedding.data[(t % g.sequence) * h + i]!, g.position));
      if (g.segment && a.segmentIds && a.segmentEmbedding) x = f(x + dq(a.segmentEmbedding.data[a.segmentIds.data[t]! * h + i]!, g.segment));
      return x;
    });
    const mean = f(sum(u, order) / h);
    const d = u.map((x) => f(x - mean));
    const ss = v === 'fusedSquares' ? d.reduce((s, x) => f32Fma(x, x, s), 0) : sum(d.map((x) => f(x * x)), order);
    const e = f(Math.sqrt(f(f(ss / h) + g.epsilon)));
    const inv = f(1 / e);
    d.forEach((x, i) => {
      const [gm, bt] = [dq(a.gamma.data[i]!, g.gamma), dq(a.beta.data[i]!, g.beta)];
      const scaled = v === 'reciprocal' ? f(x * inv) : f(x / e);
      const y = v === 'fusedOutput' ? f32Fma(scaled, gm, bt) : f(f(scaled * gm) + bt);
      const view = new DataView(new ArrayBuffer(4));
      view.setFloat32(0, y);
      out.push(Number.isNaN(y) ? 'ffc00000' : view.getUint32(0).toString(16).padStart(8, '0'));
    });
  }
  return out;
}

describe('ORT 1.30 vectors of QEmbedLayerNormalization', () => {
  it('hold 300 host cases, mostly outputs: both dtypes, segments or none, odd masks, default epsilon, wide rows, NaN and inf, refusals; and the Haswell set', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    const outputs = host.filter(ok);
    expect(outputs.length / host.length).toBeGreaterThan(0.9);
    expect(new Set(host.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code))).toEqual(new Set(['invalid_integer', 'invalid_dtype', 'shape_mismatch', 'malformed_request']));
    const n = { int8: 0, segments: 0, none: 0, oddMask: 0, maskCounted: 0, defaultEpsilon: 0, wide: 0, nan: 0, inf: 0 };
    for (const c of outputs) {
      const { args, g } = decoded(c);
      const y = hexOf(c);
      if (g.dtype === 'qint8') n.int8++;
      if (g.segment) n.segments++;
      else n.none++;
      if (args.mask?.data.some((v) => v !== 0 && v !== 1)) n.oddMask++;
      const maskIndex = (c.expect as unknown as { outputs: { mask_index: { values: number[] } } }).outputs.mask_index.values;
      if (args.mask && maskIndex.some((m) => m > 0)) n.maskCounted++;
      if (c.attrs.epsilon === undefined) n.defaultEpsilon++;
      if (g.hidden >= 128) n.wide++;
      if (y.includes('ffc00000')) n.nan++;
      if (y.includes('7f800000') || y.includes('ff800000')) n.inf++;
    }
    expect(n.int8).toBeGreaterThan(100);
    expect(n.segments).toBeGreaterThan(150);
    expect(n.none).toBeGreaterThan(50);
    expect(n.oddMask).toBeGreaterThan(40);
    expect(n.maskCounted).toBeGreaterThan(100);
    expect(n.defaultEpsilon).toBeGreaterThan(80);
    expect(n.wide).toBeGreaterThan(20);
    expect(n.nan, "x86's default NaN 0xffc00000").toBeGreaterThan(5);
    expect(n.inf).toBeGreaterThan(3);
    expect(haswell.filter(ok).length).toBeGreaterThan(60);
  });

  it('refute every other float order: fused multiply-adds, a reciprocal, double or eight-lane sums', () => {
    const refuted: Record<Variant, number> = { fusedOutput: 0, fusedSquares: 0, reciprocal: 0, doubleSums: 0, laneSums: 0 };
    for (const c of host.filter(ok)) {
      const { args, g } = decoded(c);
      const y = hexOf(c);
      for (const v of Object.keys(refuted) as Variant[]) if (alternative(args, g, v).some((x, k) => x !== y[k])) refuted[v]++;
    }
    for (const [v, count] of Object.entries(refuted)) expect(count, v).toBeGreaterThan(50);
  });
});
