import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeQLinearAveragePool } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkQLinearAveragePool } from '../../contract/qlinear_pool_checks.js';
import { averagePoolFloat } from '../../impl/onnx/qlinear_average_pool.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft QLinearGlobalAveragePool, QLinearAveragePool and QLinearConcat
 * (vectors/onnxruntime-1.30-ops and its Haswell twin; tests/vectors/ort_ops_vectors.test.ts runs every case through
 * reference and impl, tests/backends/ort_ops.test.ts through ORT): enough of each layout, dtype and attribute, the
 * MLAS range refusals, and outputs that refute the alternatives (ORT's global-pool shortcut against the float
 * window path; the int32 cast's indefinite value against a saturating one).
 */
const OPS = ['qlinear_global_average_pool@1', 'qlinear_average_pool@1', 'qlinear_concat@1'];
const { host, haswell } = ortOpsCases();
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const y = (c: Case) => ((c.expect as unknown as { outputs: { y: { values: number[] } } }).outputs.y.values);
const dtype = (c: Case, name: string) => (c.inputs[name] as { dtype: string } | undefined)?.dtype;
const poolArgs = (c: Case) => decodeQLinearAveragePool(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));

describe('ORT 1.30 vectors of QLinearGlobalAveragePool, QLinearAveragePool, QLinearConcat', () => {
  it('hold each op with a few hundred cases, mostly outputs, both dtypes, and typed refusals; the Haswell set too', () => {
    for (const op of OPS) {
      const mine = host.filter((c) => c.op === op);
      expect(mine.length, op).toBeGreaterThanOrEqual(300);
      expect(mine.filter(ok).length / mine.length, op).toBeGreaterThan(0.9);
      expect(mine.some((c) => 'error' in c.expect), op).toBe(true);
      expect(new Set(mine.filter(ok).map((c) => dtype(c, op === 'qlinear_concat@1' ? 'y_zero_point' : 'x'))), op).toEqual(new Set(['quint8', 'qint8']));
      expect(haswell.filter((c) => c.op === op && ok(c)).length, `${op} on Haswell`).toBeGreaterThan(60);
    }
  });

  it('cover both layouts, the MLAS range refusal, pooling attributes (auto_pad too) and copied and mapped concat inputs', () => {
    const gap = host.filter((c) => c.op === 'qlinear_global_average_pool@1');
    expect(gap.filter((c) => ok(c) && c.attrs.channels_last === true).length).toBeGreaterThan(100);
    expect(gap.filter((c) => 'error' in c.expect && c.expect.error.code === 'unsupported_by_scheme').length).toBeGreaterThan(3);
    const pool = host.filter((c) => c.op === 'qlinear_average_pool@1' && ok(c));
    for (const attr of ['channels_last', 'ceil_mode', 'count_include_pad']) expect(pool.filter((c) => c.attrs[attr] === true).length, attr).toBeGreaterThan(60);
    for (const rank of [1, 2, 3]) expect(pool.filter((c) => (c.attrs.kernel_shape as number[]).length === rank).length, `rank ${rank}`).toBeGreaterThan(20);
    const autoPad = pool.filter((c) => c.attrs.auto_pad !== undefined);
    expect(autoPad.length, 'auto_pad').toBeGreaterThan(30);
    const negativeHead = autoPad.filter((c) => checkQLinearAveragePool('qlinear_average_pool', poolArgs(c)).padHeads.some((p) => p < 0));
    expect(negativeHead.length, 'SAME_LOWER head pads below 0 (stride > kernel)').toBeGreaterThan(2);
    const concat = host.filter((c) => c.op === 'qlinear_concat@1' && ok(c));
    const hex = (c: Case, name: string) => (c.inputs[name] as { hex: string[] }).hex[0];
    const zp = (c: Case, name: string) => (c.inputs[name] as { values: number[] }).values[0];
    expect(concat.filter((c) => hex(c, 'x0_scale') === hex(c, 'y_scale') && zp(c, 'x0_zero_point') === zp(c, 'y_zero_point')).length, 'copied inputs').toBeGreaterThan(30);
    expect(concat.filter((c) => (c.inputs.x0 as { values: number[] }).values.length === 256).length, 'whole tables').toBeGreaterThan(30);
  });

  it("refute the float window path on kernels covering the image: ORT takes its MLAS global-pool shortcut", () => {
    const shortcut = host.filter((c) => c.op === 'qlinear_average_pool@1' && ok(c)).filter((c) => {
      const args = poolArgs(c);
      const g = checkQLinearAveragePool('qlinear_average_pool', args);
      return g.global && JSON.stringify([...averagePoolFloat(args, g)]) !== JSON.stringify(y(c));
    });
    expect(shortcut.length).toBeGreaterThan(10);
  });

  it('hold averages beyond int32 that ORT casts to INT32_MIN, so qmin where saturation would give qmax', () => {
    let [beyond, asQmin] = [0, 0];
    for (const c of host.filter((c) => c.op === 'qlinear_average_pool@1' && ok(c) && c.attrs.channels_last !== true)) {
      const args = poolArgs(c);
      const g = checkQLinearAveragePool('qlinear_average_pool', args);
      if (g.global) continue;
      const values: number[] = [];
      averagePoolFloat(args, g, (v) => values.push(v)); // NCHW: in output order
      values.forEach((v, k) => {
        if (v < 2 ** 31) return;
        beyond++;
        if (y(c)[k] === (g.dtype === 'quint8' ? 0 : -128)) asQmin++;
      });
    }
    expect(beyond).toBeGreaterThan(10);
    expect(asQmin).toBe(beyond);
  });
});
