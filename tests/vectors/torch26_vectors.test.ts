import { describe, expect, it } from 'vitest';
import { TORCH26_VECTORS_DIR, TORCH_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { TORCH2_VERSIONED_OPS, torch26Requests } from '../../conformance/cases/torch26_catalog.js';
import { PT2E_QUANTIZER_CONFIGS, configIdPrefix } from '../../conformance/cases/pt2e_quantizer_configs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { reference } from '../../reference/index.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { runQconform } from '../support/cli_process.js';

/**
 * The golden vectors from real PyTorch 2.6 (vectors/torch-2.6, written in the Debian 13 chroot): every case bit
 * for bit through the reference and the impl (no chroot needed), and case by case against vectors/torch-1.13,
 * whose requests they repeat: where 2.6 differs, the difference is one the @2 semantics name.
 */
const v26 = readVectorSet(TORCH26_VECTORS_DIR);
const v113 = readVectorSet(TORCH_VECTORS_DIR);
const byId = new Map(v113.files.flatMap((f) => f.cases).map((c) => [`${f13(c.op)}/${c.id}`, c]));
function f13(op: string): string {
  return Object.entries(TORCH2_VERSIONED_OPS).find(([, v2]) => v2 === op)?.[0] ?? op;
}
const outcome = (c: VectorCase) => ('outputs' in c.expect ? JSON.stringify(c.expect.outputs) : `error:${c.expect.error.code}`);
const rangeLength = (c: VectorCase) => Number(c.attrs.quant_max) - Number(c.attrs.quant_min) + 1;

describe(`golden vectors from ${v26.manifest.oracle}`, () => {
  const all = v26.files.flatMap((f) => f.cases);
  const isNamed = (c: VectorCase) => PT2E_QUANTIZER_CONFIGS.some((q) => c.id.startsWith(configIdPrefix(q)));
  const torch2Only = (c: VectorCase) => c.op.startsWith('decomposed_');
  const repeated = all.filter((c) => !isNamed(c) && !torch2Only(c));
  const named = all.filter(isNamed);

  it('repeat the torch 1.13 requests (same seed and streams), with the 2.x op and scheme names, then the PT2E configurations', () => {
    const regenerated = torch26Requests(v26.manifest.seed).flatMap((g) => g.requests);
    expect(all.map((c) => ({ id: c.id, op: c.op, attrs: c.attrs, inputs: c.inputs }))).toEqual(regenerated.map((r) => ({ id: r.id, op: r.op, attrs: r.attrs ?? {}, inputs: r.inputs ?? {} })));
    expect(repeated.length).toBe(v113.files.reduce((n, f) => n + f.cases.length, 0));
    expect(named.length).toBe(PT2E_QUANTIZER_CONFIGS.reduce((n, c) => n + c.count, 0));
    for (const c of repeated) {
      const old = byId.get(`${f13(c.op)}/${c.id}`)!;
      const { upsample_rate: _u, ...oldAttrs } = old.attrs;
      expect({ ...c.attrs, scheme: undefined }, c.id).toEqual({ ...(c.op === 'histogram_observer@2' ? oldAttrs : old.attrs), scheme: undefined });
      expect(c.inputs, c.id).toEqual(old.inputs);
    }
    expect((v26.manifest.provenance as { torch_version: string }).torch_version).toMatch(/^2\.6\./);
  });

  it('equal torch 1.13 wherever no @2 semantics applies; the @2 differences are the ones they name', () => {
    const differ = new Map<string, number>();
    for (const c of repeated) {
      const old = byId.get(`${f13(c.op)}/${c.id}`)!;
      if (outcome(c) === outcome(old)) continue;
      differ.set(c.op, (differ.get(c.op) ?? 0) + 1);
      if (c.op === 'histogram_observer@2') continue; // its own model, checked case by case below
      if (c.op === 'quantized_conv2d@1') {
        // torch-onednn@2's other float32 steps; qnnpack identical
        expect(c.attrs.scheme, c.id).toBe('torch-onednn@2');
        continue;
      }
      // the qint32 range check: 1.13 refused a custom range of more than 2^31 values, 2.x accepts up to 2^32
      expect(Object.values(TORCH2_VERSIONED_OPS), c.id).toContain(c.op);
      expect([c.attrs.dtype, old.expect], c.id).toMatchObject(['qint32', { error: { code: 'quant_range_too_wide' } }]);
      expect(rangeLength(c), c.id).toBeGreaterThan(2 ** 31);
      expect(rangeLength(c), c.id).toBeLessThanOrEqual(2 ** 32);
    }
    // not vacuous: each kind of 2.x difference occurs in the set
    expect(differ.get('calculate_qparams@2')).toBeGreaterThan(0);
    expect(differ.get('min_max_observer@2')).toBeGreaterThan(0);
    expect(differ.get('quantized_conv2d@1')).toBeGreaterThan(0);
    expect(differ.get('histogram_observer@2')).toBeGreaterThan(0);
    expect([...differ.keys()].every((op) => op.endsWith('@2') || op === 'quantized_conv2d@1')).toBe(true);
    expect(repeated.length).toBeGreaterThan(11_000);
  });

  it('hold multi-batch HistogramObserver sequences with outputs (histogram_observer@2 checked against real 2.6)', () => {
    const hist = v26.files.find((f) => f.file.op === 'histogram_observer@2')!.cases;
    const multi = hist.filter((c) => 'outputs' in c.expect && (c.inputs.batches as unknown[]).length >= 2);
    expect(multi.length).toBeGreaterThan(500);
  });

  it('hold the XNNPACKQuantizer and X86InductorQuantizer observer configurations, most with outputs', () => {
    for (const q of PT2E_QUANTIZER_CONFIGS) {
      const cases = named.filter((c) => c.id.startsWith(configIdPrefix(q)));
      expect(cases.map((c) => [c.op, c.attrs]), q.name).toEqual(cases.map(() => [q.op, q.attrs]));
      expect(cases.filter((c) => 'outputs' in c.expect).length, q.name).toBeGreaterThan(q.count / 2);
    }
  });

  it('show quantized_decomposed.quantize_per_tensor equal to quantize_per_tensor@1 exactly where its reciprocal, range and NaN agree', () => {
    const decomposed = all.filter((c) => c.op === 'decomposed_quantize_per_tensor@1' && 'outputs' in c.expect);
    let alias = 0;
    let other = 0;
    for (const c of decomposed) {
      const { dtype, scale, zero_point: zp, quant_min: qmin, quant_max: qmax } = c.attrs as { dtype: 'quint8' | 'qint8'; scale: string; zero_point: number; quant_min: number; quant_max: number };
      const s = new DataView(Uint8Array.from(Buffer.from(scale, 'hex')).buffer).getFloat64(0);
      const x = c.inputs.x as { hex: string[] };
      const fullRange = qmin === DTYPE_RANGE[dtype].min && qmax === DTYPE_RANGE[dtype].max;
      const xs = x.hex.map((h) => new DataView(Uint32Array.of(parseInt(h, 16)).buffer).getFloat32(0, true));
      const noNan = xs.every((v) => Number.isFinite(v) && Math.abs(v / s) < 2 ** 62); // quantize_val's int64 truncation sends NaN, inf and |t| >= 2^63 to qmin
      const aten = evaluateRequest(reference, { id: c.id, op: 'quantize_per_tensor@1', attrs: { scale, zero_point: zp, dtype }, inputs: { x } });
      const same = 'outputs' in aten && JSON.stringify(aten.outputs) === JSON.stringify((c.expect as { outputs: unknown }).outputs);
      if (fullRange && noNan && Math.fround(s) === s) {
        expect(same, c.id).toBe(true); // the documented alias: 1/f32(s) == f32(1/s) for a float32 s, the dtype's clamp
        alias++;
      } else if (!same) other++;
    }
    expect(alias).toBeGreaterThan(100);
    expect(other).toBeGreaterThan(10); // not vacuous: the op differs where its reciprocal, range or NaN differ
  });

  it('hold the other quantized_decomposed ops with outputs, errors and their special forms (non-vacuity)', () => {
    const of = (op: string) => all.filter((c) => c.op === op);
    const outputs = (c: VectorCase) => 'outputs' in c.expect;
    for (const op of ['decomposed_dequantize_per_tensor@1', 'decomposed_quantize_per_channel@1', 'decomposed_dequantize_per_channel@1', 'decomposed_choose_qparams@1']) {
      expect(of(op).filter(outputs).length, op).toBeGreaterThan(400);
      expect(of(op).filter((c) => !outputs(c)).length, op).toBeGreaterThan(10);
    }
    expect(of('decomposed_dequantize_per_channel@1').filter((c) => outputs(c) && c.inputs.zero_points === undefined).length).toBeGreaterThan(50);
    expect(of('decomposed_quantize_per_channel@1').filter((c) => outputs(c) && (c.inputs.zero_points as { dtype: string }).dtype === 'int32').length).toBeGreaterThan(100);
    expect(of('decomposed_choose_qparams@1').filter((c) => 'error' in c.expect && c.expect.error.code === 'nan_observed').length).toBeGreaterThan(10);
  });

  it('show quantized_decomposed.dequantize_per_tensor equal to dequantize_per_tensor@1 exactly where f32(zero_point) is exact', () => {
    let alias = 0;
    let other = 0;
    for (const c of all.filter((k) => k.op === 'decomposed_dequantize_per_tensor@1' && 'outputs' in k.expect)) {
      const aten = evaluateRequest(reference, { id: c.id, op: 'dequantize_per_tensor@1', attrs: { scale: c.attrs.scale, zero_point: c.attrs.zero_point }, inputs: { q: c.inputs.q } });
      const same = 'outputs' in aten && JSON.stringify(aten.outputs) === JSON.stringify((c.expect as { outputs: unknown }).outputs);
      if (Math.abs(Number(c.attrs.zero_point)) <= 2 ** 24) {
        expect(same, c.id).toBe(true);
        alias++;
      } else if (!same) other++;
    }
    expect(alias).toBeGreaterThan(400);
    expect(other).toBeGreaterThan(5); // not vacuous: a zero point float32 rounds is where the two differ (or 1.13 refuses it)
  });

  itMatchesEveryCase('torch-2.6', v26.files);
});

describe('the torch26 built-ins without their chroot', () => {
  it('are unavailable with the setup command (exit 3)', async () => {
    const env = { QCONFORM_TORCH26_ROOT: '/nonexistent/torch26' };
    const r = await runQconform(['run', '--backend', 'torch26-qnnpack', '--require-available', '--case', 'quantize_per_tensor-00001'], env);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/UNAVAILABLE: backend torch26-qnnpack is not available here: no torch 2\.6 chroot at \/nonexistent\/torch26.*npm run setup:torch26/);
    const list = await runQconform(['backends'], env);
    expect(list.stdout).toMatch(/torch26-onednn\s+unavailable: .*\n\s+install: npm run setup:torch26/);
  });
});
