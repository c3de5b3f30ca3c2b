/**
 * PT2E's quantized_decomposed quantize / dequantize ops (torch 2.6): the exact reference and the fast impl give the same
 * bytes (or the same typed error) on the --fuzz generators' cases (conformance/cases/decomposed_fuzz_cases.ts: the
 * vector set's generators, then negative axes, broadcasting per-channel parameters and quant_min > quant_max; seeds
 * pinned by fast-check). Not vacuous: counters show each of those edges computed (with outputs), not only refused,
 * and the set generator's own cases beside them.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { decomposedDequantizePerChannelFuzzCase, decomposedDequantizePerTensorFuzzCase, decomposedQuantizePerChannelFuzzCase, decomposedQuantizePerTensorFuzzCase } from '../../conformance/cases/decomposed_fuzz_cases.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { caseRequests, checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 400;

const shapeOf = (request: WireRequest, name: string) => (request.inputs?.[name] as { shape: number[] } | undefined)?.shape ?? [];

describe('quantized_decomposed ops: reference and impl agree bit for bit on the fuzz draws', () => {
  for (const [op, factory, input] of [
    ['decomposed_quantize_per_channel@1', decomposedQuantizePerChannelFuzzCase, 'x'],
    ['decomposed_dequantize_per_channel@1', decomposedDequantizePerChannelFuzzCase, 'q'],
  ] as const) {
    it(`${op}: negative axes, broadcasting parameters and quant_min > quant_max are computed, not vacuously`, () => {
      const n = { outputs: 0, refused: 0, negativeAxis: 0, inputAxisOne: 0, oneParameter: 0, invertedRange: 0, plain: 0 };
      checkAnsweredAgreement(`${op} agrees`, caseRequests('decomposed-fuzz', factory), n, (request) => {
        const shape = shapeOf(request, input);
        const attrs = request.attrs as { axis: number; quant_min: number; quant_max: number };
        const axis = attrs.axis < 0 ? attrs.axis + shape.length : attrs.axis;
        const channels = shapeOf(request, 'scales')[0]!;
        const edges = [attrs.axis < 0, shape[axis] === 1 && channels >= 2, channels === 1 && shape[axis]! >= 2, attrs.quant_min > attrs.quant_max];
        if (edges[0]) n.negativeAxis++;
        if (edges[1]) n.inputAxisOne++;
        if (edges[2]) n.oneParameter++;
        if (edges[3]) n.invertedRange++;
        if (!edges.some(Boolean)) n.plain++;
      }, RUNS);
      // seen with the pinned seed (quantize, dequantize): printed on failure
      const seen = JSON.stringify(n);
      expect(n.outputs, seen).toBeGreaterThan(RUNS * 0.6);
      expect(n.refused, seen).toBeGreaterThan(5);
      expect(n.negativeAxis, seen).toBeGreaterThan(RUNS * 0.15);
      expect(n.inputAxisOne, seen).toBeGreaterThan(RUNS * 0.04);
      expect(n.oneParameter, seen).toBeGreaterThan(RUNS * 0.04);
      expect(n.invertedRange, seen).toBeGreaterThan(RUNS * 0.05);
      expect(n.plain, seen).toBeGreaterThan(RUNS * 0.2);
    });
  }

  for (const [op, factory] of [
    ['decomposed_quantize_per_tensor@1', decomposedQuantizePerTensorFuzzCase],
    ['decomposed_dequantize_per_tensor@1', decomposedDequantizePerTensorFuzzCase],
  ] as [string, CaseFactory][]) {
    it(`${op}: quant_min > quant_max is computed, not vacuously`, () => {
      const n = { outputs: 0, refused: 0, invertedRange: 0 };
      checkAnsweredAgreement(`${op} agrees`, caseRequests('decomposed-fuzz', factory), n, (request) => {
        const attrs = request.attrs as { quant_min: number; quant_max: number };
        if (attrs.quant_min > attrs.quant_max) n.invertedRange++;
      }, RUNS);
      const seen = JSON.stringify(n);
      expect(n.outputs, seen).toBeGreaterThan(RUNS * 0.6);
      expect(n.invertedRange, seen).toBeGreaterThan(RUNS * 0.05);
    });
  }
});
