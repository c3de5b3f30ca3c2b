import { describe, expect, it } from 'vitest';
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeNhwcMaxPool } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';

/**
 * What ONNX Runtime 1.30 recorded for the com.microsoft ops of issue 13's last batch (vectors/onnxruntime-1.30-ops and
 * its Haswell twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): for QuantizeLinear
 * and DequantizeLinear every integer type, per-axis parameters, zero-point-less uint8 outputs, and ORT's own refusal of
 * the attributes the com.microsoft schema lacks; for MatMulInteger16 sums that leave int32 (ORT wraps them); for
 * NhwcMaxPool windows of padding only (ORT gives the type's lowest value), dilations, ceil_mode, auto_pad, 1-3 spatial dims.
 */

const hostSet = readVectorSet(ORT_OPS_VECTORS_DIR);
const host = hostSet.files.flatMap((f) => f.cases);
/** The drawn cases of `op` the writer left out, ORT not being run on them (the manifest's left_out_not_run). */
const leftOut = (op: string) => ((hostSet.manifest.provenance as { left_out_not_run?: string[] }).left_out_not_run ?? []).filter((l) => l.startsWith(`${op.split('@')[0]}-`)).length;
const haswell = readVectorSet(ORT_OPS_HASWELL_VECTORS_DIR).files.flatMap((f) => f.cases);
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const errorOf = (c: Case) => ('error' in c.expect ? c.expect.error : null);
const input = (c: Case, name: string) => c.inputs[name] as { dtype: string; shape: number[] } | undefined;

describe('ORT 1.30 vectors of com.microsoft QuantizeLinear / DequantizeLinear', () => {
  for (const [op, zpName, types] of [['ms_quantize_linear@1', 'y_zero_point', 6], ['ms_dequantize_linear@1', 'x_zero_point', 7]] as const) {
    it(`${op}: 300 host cases drawn (less those ORT is not run on) of every type, per axis, without zero points, ORT's attribute refusals; the Haswell set`, () => {
      const mine = host.filter((c) => c.op === op);
      expect(mine.length + leftOut(op)).toBe(300);
      const answered = mine.filter(ok);
      expect(answered.length / mine.length).toBeGreaterThan(0.9);
      const typeOf = (c: Case) => (op === 'ms_quantize_linear@1' ? (input(c, zpName)?.dtype ?? 'uint8') : input(c, 'x')!.dtype);
      expect(new Set(answered.map(typeOf)).size).toBe(types);
      const scaleShape = (c: Case) => input(c, op === 'ms_quantize_linear@1' ? 'y_scale' : 'x_scale')!.shape;
      expect(answered.filter((c) => scaleShape(c).length === 1 && scaleShape(c)[0]! > 1).length, 'per axis').toBeGreaterThan(40);
      expect(answered.filter((c) => !input(c, zpName)).length, 'no zero point').toBeGreaterThan(10);
      // the oracle itself refuses an attribute its schema lacks: ORT's message is recorded
      const refused = mine.filter((c) => errorOf(c)?.code === 'malformed_request');
      expect(refused.length).toBeGreaterThan(0);
      for (const c of refused) expect(errorOf(c)!.oracle_message).toMatch(/Unrecognized attribute/);
      expect(haswell.filter((c) => c.op === op && ok(c)).length).toBeGreaterThan(60);
    });
  }
});

describe('ORT 1.30 vectors of com.microsoft MatMulInteger16', () => {
  it('hold 300 host cases, many whose exact sum leaves int32 (ORT wraps: the recorded int32 is the sum modulo 2^32), and the Haswell set', () => {
    const mine = host.filter((c) => c.op === 'matmul_integer16@1');
    expect(mine.length).toBe(300);
    const answered = mine.filter(ok);
    expect(answered.length / mine.length).toBeGreaterThan(0.9);
    expect(mine.filter((c) => errorOf(c)?.code === 'invalid_dtype').length, "ORT's refusal of an int8 b").toBeGreaterThan(0);
    let wrapped = 0;
    for (const c of answered) {
      const a = c.inputs.a as { shape: number[]; values: number[] };
      const b = c.inputs.b as { shape: number[]; values: number[] };
      if (a.shape.length !== 2 || b.shape.length !== 2) continue;
      const [m, k] = a.shape as [number, number];
      const n = b.shape[1]!;
      const y = (c.expect as unknown as { outputs: { y: { values: number[] } } }).outputs.y.values;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0n;
          for (let q = 0; q < k; q++) s += BigInt(a.values[i * k + q]!) * BigInt(b.values[q * n + j]!);
          expect(BigInt(y[i * n + j]!)).toBe(BigInt.asIntN(32, s));
          if (s !== BigInt.asIntN(32, s)) wrapped++;
        }
      }
    }
    expect(wrapped).toBeGreaterThan(100);
    expect(haswell.filter((c) => c.op === 'matmul_integer16@1' && ok(c)).length).toBeGreaterThan(60);
  });
});

describe('ORT 1.30 vectors of com.microsoft NhwcMaxPool', () => {
  it('hold 300 host cases of both dtypes and 1-3 spatial dims, with dilations, ceil_mode, auto_pad, refusals, and windows of padding only', () => {
    const mine = host.filter((c) => c.op === 'nhwc_max_pool@1');
    expect(mine.length).toBe(300);
    const answered = mine.filter(ok);
    expect(answered.length / mine.length).toBeGreaterThan(0.9);
    expect(mine.filter((c) => errorOf(c)?.code === 'invalid_geometry').length, "ORT's refusal of a pad as large as its kernel, a stride of 0").toBeGreaterThan(0);
    const geometry = (c: Case) => {
      const args = decodeNhwcMaxPool(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));
      return { args, g: checkNhwcMaxPool('nhwc_max_pool', args) };
    };
    const all = answered.map(geometry);
    expect(new Set(all.map(({ g }) => g.dtype))).toEqual(new Set(['quint8', 'qint8']));
    expect(new Set(all.map(({ g }) => g.inDims.length))).toEqual(new Set([1, 2, 3]));
    expect(all.filter(({ g }) => g.dilations.some((d) => d > 1)).length).toBeGreaterThan(60);
    expect(all.filter(({ args }) => args.ceilMode).length).toBeGreaterThan(80);
    expect(all.filter(({ args }) => args.autoPad !== 'NOTSET').length).toBeGreaterThan(20);
    // a window holds no pixel iff along some spatial dim all its taps leave the image; ORT's output there is the
    // lowest value in every channel
    let padOnly = 0;
    for (const [k, { g }] of all.entries()) {
      const y = (answered[k]!.expect as unknown as { outputs: { y: { values: number[] } } }).outputs.y.values;
      const outImage = g.outDims.reduce((a, b) => a * b, 1);
      for (let n = 0; n < g.batch; n++) {
        for (let o = 0; o < outImage; o++) {
          let rest = o;
          let empty = false;
          for (let d = g.outDims.length - 1; d >= 0; d--) {
            const od = rest % g.outDims[d]!;
            rest = Math.floor(rest / g.outDims[d]!);
            const start = od * g.strides[d]! - g.padHeads[d]!;
            if (Array.from({ length: g.kernel[d]! }, (_, t) => start + t * g.dilations[d]!).every((v) => v < 0 || v >= g.inDims[d]!)) empty = true;
          }
          if (!empty) continue;
          padOnly++;
          for (let c = 0; c < g.channels; c++) expect(y[(n * outImage + o) * g.channels + c]).toBe(DTYPE_RANGE[g.dtype].min);
        }
      }
    }
    expect(padOnly).toBeGreaterThan(0);
    expect(haswell.filter((c) => c.op === 'nhwc_max_pool@1' && ok(c)).length).toBeGreaterThan(60);
  });
});
