import { describe, expect, it } from 'vitest';
import { TOSA_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The golden vectors from MLIR 19's lowering of TOSA (vectors/tosa-mlir-19): requantize@1 as tosa.rescale and
 * quantized_conv2d@1 as tosa.conv2d / tosa.depthwise_conv2d + tosa.rescale, every case bit for bit through the
 * exact reference and the fast impl. MLIR is not needed to run this.
 */
const { manifest, files } = readVectorSet(TOSA_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases);

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold both ops under both rounding modes, per-tensor and per-channel convs, both activation dtypes, and typed errors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(600);
    const withOutputs = cases.filter((c) => 'outputs' in c.expect);
    expect(withOutputs.length / cases.length).toBeGreaterThan(0.9);
    const kinds = new Set(withOutputs.map((c) => `${c.op}/${String(c.attrs.scheme)}`));
    expect([...kinds].sort()).toEqual(['quantized_conv2d@1/tosa-double-round@1', 'quantized_conv2d@1/tosa-single-round@1', 'requantize@1/tosa-double-round@1', 'requantize@1/tosa-single-round@1']);
    const convs = withOutputs.filter((c) => c.op === 'quantized_conv2d@1');
    const convKinds = new Set(convs.map((c) => `${(c.inputs.x as { dtype: string }).dtype}/${String(c.attrs.weight_quantization)}`));
    expect([...convKinds].sort()).toEqual(['qint8/per_channel', 'qint8/per_tensor', 'quint8/per_channel', 'quint8/per_tensor']);
    const groups = new Set(convs.map((c) => (Number(c.attrs.groups) === 1 ? 'dense' : 'grouped or depthwise')));
    expect(groups.size).toBe(2);
    const errors = new Set(cases.flatMap((c) => ('error' in c.expect ? [c.expect.error.code] : [])));
    expect([...errors]).toEqual(['requant_precondition']);
  });

  itMatchesEveryCase('tosa-mlir-19', files);
});

describe('the TOSA vectors tell single_round from double_round', () => {
  it('counts the cases whose output the other rounding mode would get wrong, per op', async () => {
    const { impl } = await import('../../impl/index.js');
    const { evaluateRequest } = await import('../../conformance/protocol/dispatch.js');
    const other = (s: string) => (s === 'tosa-single-round@1' ? 'tosa-double-round@1' : 'tosa-single-round@1');
    const telling: Record<string, number> = {};
    for (const c of cases) {
      if (!('outputs' in c.expect)) continue;
      const got = evaluateRequest(impl, { ...c, attrs: { ...c.attrs, scheme: other(String(c.attrs.scheme)) } });
      const key = `${c.op} ${String(c.attrs.scheme)}`;
      telling[key] ??= 0;
      if (!('outputs' in got) || JSON.stringify(got.outputs) !== JSON.stringify(c.expect.outputs)) telling[key] += 1;
    }
    // the committed set: each rounding mode is observable on both ops (double_round differs only for right shifts > 31)
    expect(telling).toEqual({
      'quantized_conv2d@1 tosa-double-round@1': 13,
      'quantized_conv2d@1 tosa-single-round@1': 19,
      'requantize@1 tosa-double-round@1': 10,
      'requantize@1 tosa-single-round@1': 15,
    });
  });
});
