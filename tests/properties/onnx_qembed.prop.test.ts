/**
 * QEmbedLayerNormalization: the exact reference (float32 steps on rationals) and the fast impl (Math.fround) give the
 * same bits, NaN patterns included, and the same mask_index (or the same typed error) on the vector generator's
 * cases (seeds drawn by fast-check, pinned). Not vacuous: counters show both dtypes, tokens with and without segments,
 * masks holding values other than 0 and 1, ORT's default epsilon and epsilon 0, constant rows (variance 0), BERT-wide
 * hidden sizes, outputs that are the default NaN or infinite (float32 overflow), and typed refusals.
 */
import { describe, expect, it } from 'vitest';
import { qembedLayerNormCase } from '../../conformance/cases/onnx_qembed_cases.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeQEmbedLayerNorm } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { caseRequests, checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 200;

describe('QEmbedLayerNormalization: reference and impl agree bit for bit', () => {
  it('qembed_layer_normalization@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, int8: 0, segments: 0, noSegments: 0, oddMask: 0, defaultEpsilon: 0, zeroEpsilon: 0, constantRow: 0, wide: 0, nan: 0, infinite: 0 };
    checkAnsweredAgreement('qembed_layer_normalization agrees', caseRequests('onnx-qembed', qembedLayerNormCase), n, (request, ref) => {
      if (!('outputs' in ref)) return;
      const raw = request.attrs ?? {};
      const args = decodeQEmbedLayerNorm(new Attrs(raw, request.op), new Inputs(request.inputs ?? {}, request.op));
      const y = (ref.outputs.y as { hex: string[] }).hex;
      const h = args.gamma.data.length;
      if (args.wordEmbedding.dtype === 'qint8') n.int8++;
      if (args.segmentIds) n.segments++;
      else n.noSegments++;
      if (args.mask?.data.some((v) => v !== 0 && v !== 1)) n.oddMask++;
      if (raw.epsilon === undefined) n.defaultEpsilon++;
      else if (args.epsilon === 0) n.zeroEpsilon++;
      if (h === 1 || new Set(args.wordEmbedding.data).size === 1) n.constantRow++;
      if (h >= 128) n.wide++;
      if (y.includes('ffc00000')) n.nan++;
      if (y.includes('7f800000') || y.includes('ff800000')) n.infinite++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.refused).toBeGreaterThan(1);
    expect(n.int8).toBeGreaterThan(60);
    expect(n.segments).toBeGreaterThan(100);
    expect(n.noSegments).toBeGreaterThan(30);
    expect(n.oddMask).toBeGreaterThan(10);
    expect(n.defaultEpsilon).toBeGreaterThan(50);
    expect(n.zeroEpsilon).toBeGreaterThan(10);
    expect(n.constantRow, 'rows of variance 0').toBeGreaterThan(12);
    expect(n.wide, 'hidden sizes 128-768').toBeGreaterThan(10);
    expect(n.nan, 'the default NaN').toBeGreaterThan(3);
    expect(n.infinite).toBeGreaterThan(2);
  });
});
