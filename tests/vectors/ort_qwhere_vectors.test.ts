import { describe, expect, it } from 'vitest';
import { Inputs } from '../../conformance/protocol/messages.js';
import { decodeQLinearWhere } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkQLinearWhere } from '../../contract/qlinear_where_checks.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft QLinearWhere (vectors/onnxruntime-1.30-ops and its Haswell
 * twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): both dtypes, ORT's type
 * refusal of a zero point of the other type, x and y copied and mapped, whole tables, broadcasts, and ORT's merge
 * keeping the byte 0 that x maps to where the condition holds (not falling through to y).
 */
const { host, haswell } = ortOpsCases('qlinear_where@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const z = (c: Case) => (c.expect as unknown as { outputs: { y: { values: number[] } } }).outputs.y.values;
const geometry = (c: Case) => {
  const args = decodeQLinearWhere(new Inputs(c.inputs, c.op));
  return { args, g: checkQLinearWhere('qlinear_where', args) };
};

describe('ORT 1.30 vectors of QLinearWhere', () => {
  it('hold 300 host cases, mostly outputs of both dtypes, typed refusals, and the Haswell set', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.9);
    expect(host.filter((c) => 'error' in c.expect && c.expect.error.code === 'invalid_dtype').length).toBeGreaterThan(3);
    expect(new Set(host.filter(ok).map((c) => (c.inputs.z_zero_point as { dtype: string }).dtype))).toEqual(new Set(['quint8', 'qint8']));
    expect(haswell.filter(ok).length).toBeGreaterThan(60);
  });

  it('cover copied and mapped operands, whole tables, broadcasts, scale shapes [1], and byte 0 kept from x', () => {
    let [copied, mapped, whole, broadcast, scale1, zeroFromX] = [0, 0, 0, 0, 0, 0];
    for (const c of host.filter(ok)) {
      const { args, g } = geometry(c);
      for (const [s, zp] of [[g.xScale, g.xZeroPoint], [g.yScale, g.yZeroPoint]]) {
        if (s === g.zScale && zp === g.zZeroPoint) copied++;
        else mapped++;
      }
      if (new Set(args.x.data).size === 256) whole++;
      if ([args.condition, args.x, args.y].some((t) => t.data.length !== g.conditionIndex.length)) broadcast++;
      if ([args.xScale, args.yScale, args.zScale].some((t) => t.shape.length === 1)) scale1++;
      if (z(c).some((v, k) => v === 0 && args.condition.data[g.conditionIndex[k]!] === 1)) zeroFromX++;
    }
    expect(copied).toBeGreaterThan(60);
    expect(mapped).toBeGreaterThan(200);
    expect(whole).toBeGreaterThan(30);
    expect(broadcast).toBeGreaterThan(150);
    expect(scale1, 'ORT accepts one-element scales of shape [1]').toBeGreaterThan(50);
    expect(zeroFromX).toBeGreaterThan(5);
  });
});
