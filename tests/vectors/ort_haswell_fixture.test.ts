import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORT_CPU_MODELS, ortAccumulator, ortConvPath, ortCpuFromFlags } from '../../conformance/backends/onnxruntime/ort_cpu_paths.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { identificationLines, matchingSchemes, schemeAccumulatorLabel } from '../../conformance/runner/scheme_identification.js';
import type { CaseResult } from '../../conformance/runner/results.js';
import type { VectorCase } from '../../conformance/vectors/vector_set.js';
import type { Accumulator } from '../../contract/conv.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { vectorMismatch } from '../support/vector_verdict.js';

/**
 * Real ONNX Runtime 1.30 outputs under qemu-x86_64-static -cpu Haswell (AVX2, no VNNI): tests/fixtures/ort_haswell.
 * The route rule (ortAccumulator) picks each case's accumulator; reference and impl reproduce every case bit for
 * bit under it; on the saturating route, int32_wrap (what the VNNI host computes) and the oneDNN-style
 * sat16_pairs both fail, which is what makes sat16_pairs_im2col necessary; and a backend judged against the
 * host's claim (int32_wrap) is identified as onnxruntime@1 × sat16_pairs_im2col.
 */
const FIXTURE = 'tests/fixtures/ort_haswell/qlinear_conv_haswell.jsonl';
const cases: VectorCase[] = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as VectorCase);
const haswell = ORT_CPU_MODELS.haswell;
const under = (c: VectorCase, accumulator: Accumulator): VectorCase => ({ ...c, attrs: { ...c.attrs, accumulator } });
const saturating = cases.filter((c) => ortAccumulator(haswell, c) === 'sat16_pairs_im2col');
/** The cases an implementation does not reproduce under the accumulator ortAccumulator routes each to on Haswell, with why. */
function failuresUnderTheRoute(ops: (typeof IMPLEMENTATIONS)[number][1], of: readonly VectorCase[]): string[] {
  return of.flatMap((c) => {
    const claimed = under(c, ortAccumulator(haswell, c));
    const reason = vectorMismatch(claimed, evaluateRequest(ops, claimed));
    return reason ? [`${c.id} (${String(claimed.attrs.accumulator)}): ${reason}`] : [];
  });
}
const realOutput = (c: VectorCase) => ({ id: c.id, outputs: (c.expect as { outputs: Record<string, never> }).outputs });

describe(`real ORT 1.30 outputs on -cpu Haswell (${FIXTURE})`, () => {
  it('hold saturating GEMM and ConvSym cases and exact-route cases (uint8 depthwise, int8)', () => {
    const routes = cases.map((c) => (c as unknown as { cpu_path: { mlas_route: string } }).cpu_path.mlas_route);
    expect(saturating.length).toBeGreaterThanOrEqual(20);
    expect(routes.filter((r) => r.startsWith('convsym_avx2')).length).toBeGreaterThanOrEqual(2);
    expect(routes.filter((r) => r.startsWith('depthwise_avx2(u8s8)')).length).toBeGreaterThanOrEqual(3);
    expect(routes.filter((r) => r.includes('s8s8')).length).toBeGreaterThanOrEqual(2);
    expect(cases.length - saturating.length).toBe(5);
  });

  for (const [name, ops] of IMPLEMENTATIONS) {
    it(`${name} reproduces every case under ortAccumulator(haswell, case)`, () => {
      expect(failuresUnderTheRoute(ops, cases)).toEqual([]);
    });

    it(`${name}: int32_wrap and sat16_pairs fail every saturating case, sat16_pairs_im2col fails the uint8 depthwise ones`, () => {
      for (const c of saturating) {
        for (const wrong of ['int32_wrap', 'sat16_pairs'] as const) {
          expect(vectorMismatch(c, evaluateRequest(ops, under(c, wrong))), `${c.id} under ${wrong}`).not.toBeNull();
        }
      }
      const depthwiseU8 = cases.filter((c) => ortAccumulator(haswell, c) === 'int32_wrap' && (c.inputs.x as { dtype: string }).dtype === 'quint8');
      expect(depthwiseU8.length).toBe(3);
      for (const c of depthwiseU8) expect(vectorMismatch(c, evaluateRequest(ops, under(c, 'sat16_pairs_im2col'))), c.id).not.toBeNull();
    });
  }

  it('scheme identification names onnxruntime@1 × sat16_pairs_im2col for the real outputs judged against the host claim (int32_wrap)', () => {
    const results: CaseResult[] = saturating.map((c) => ({
      id: c.id,
      op: c.op,
      scheme: 'onnxruntime@1',
      verdict: 'fail',
      matchesSchemes: matchingSchemes(under(c, 'int32_wrap'), realOutput(c), ['onnxruntime@1']),
      location: FIXTURE,
      ms: 0,
    }));
    const label = schemeAccumulatorLabel('onnxruntime@1', 'sat16_pairs_im2col');
    for (const r of results) expect(r.matchesSchemes, r.id).toContain(label);
    expect(identificationLines(results)).toEqual([`scheme onnxruntime@1: ${saturating.length} failing cases; the backend matches ${label} on ${saturating.length} of them`]);
  });
});

describe('ortAccumulator: the MLAS route rule per CPU', () => {
  const request = (xDtype: string, weightShape: number[], groups: number) => ({ id: 'r', op: 'quantized_conv2d@1', attrs: { groups }, inputs: { x: { dtype: xDtype, shape: [1, weightShape[1]! * groups, 4, 4] }, weight: { dtype: 'qint8', shape: weightShape } } });
  it('AVX2 without VNNI: u8 non-depthwise (channel multiplier 2 included) saturates; u8 depthwise and s8 are exact', () => {
    expect(ortAccumulator(haswell, request('quint8', [8, 3, 3, 3], 1))).toBe('sat16_pairs_im2col');
    expect(ortAccumulator(haswell, request('quint8', [8, 1, 3, 3], 4))).toBe('sat16_pairs_im2col'); // Cg 1, Mg 2: GEMM per group
    expect(ortAccumulator(haswell, request('quint8', [4, 1, 3, 3], 4))).toBe('int32_wrap'); // depthwise
    // depthwise with weight zero points that differ per channel: the u8s8 GEMM (measured under qemu -cpu Haswell)
    const varying = request('quint8', [4, 1, 3, 3], 4);
    expect(ortAccumulator(haswell, { ...varying, inputs: { ...varying.inputs, weight_zero_points: { dtype: 'int64', shape: [4], values: [0, 1, 0, 0] } } })).toBe('sat16_pairs_im2col');
    expect(ortAccumulator(haswell, { ...varying, inputs: { ...varying.inputs, weight_zero_points: { dtype: 'int64', shape: [4], values: [3, 3, 3, 3] } } })).toBe('int32_wrap');
    expect(ortAccumulator(haswell, request('qint8', [8, 3, 3, 3], 1))).toBe('int32_wrap');
  });
  it('SSE4 only and VNNI hosts are exact everywhere; AVX512 without VNNI is refused, not guessed', () => {
    expect(ortAccumulator(ORT_CPU_MODELS.nehalem, request('quint8', [8, 3, 3, 3], 1))).toBe('int32_wrap');
    const host = ortCpuFromFlags(['sse4_2', 'avx2', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'avx512_vnni']);
    expect(ortAccumulator(host, request('quint8', [8, 3, 3, 3], 1))).toBe('int32_wrap');
    const skylakeX = ortCpuFromFlags(['sse4_2', 'avx2', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl']);
    expectQconformError(() => ortConvPath(skylakeX, request('quint8', [8, 3, 3, 3], 1)), 'unsupported_by_scheme', ['not modelled']);
    expectQconformError(() => ortConvPath(haswell, { id: 'r', op: 'quantized_conv2d@1' }), 'malformed_request');
  });
});

/**
 * tests/fixtures/ort_haswell/varying_weight_zero_points_haswell.jsonl (scripts/oracle/ort_haswell_wzp_fixture.ts): real
 * ORT 1.30 under -cpu Haswell on u8 x s8 depthwise convs whose weight zero points differ per channel. ORT runs them on
 * the u8s8 GEMM, so ortAccumulator routes them to sat16_pairs_im2col; the depthwise kernel's int32_wrap fails some.
 */
const VARYING = 'tests/fixtures/ort_haswell/varying_weight_zero_points_haswell.jsonl';
const varyingCases: VectorCase[] = readFileSync(VARYING, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as VectorCase);

describe(`real ORT 1.30 on -cpu Haswell, depthwise with weight zero points that differ (${VARYING})`, () => {
  it('every case is routed to sat16_pairs_im2col, and int32_wrap (the depthwise kernel) fails some of them', () => {
    expect(varyingCases.length).toBe(8);
    for (const c of varyingCases) expect(ortAccumulator(haswell, c), c.id).toBe('sat16_pairs_im2col');
    const wrapFails = varyingCases.filter((c) => vectorMismatch(c, evaluateRequest(IMPLEMENTATIONS[0]![1], under(c, 'int32_wrap'))) !== null);
    expect(wrapFails.length).toBeGreaterThanOrEqual(3);
  });

  for (const [name, ops] of IMPLEMENTATIONS) {
    it(`${name} reproduces every case under ortAccumulator(haswell, case)`, () => {
      expect(failuresUnderTheRoute(ops, varyingCases)).toEqual([]);
    });
  }
});
