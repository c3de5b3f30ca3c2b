import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ACCUMULATOR_ROWS, accumulatorOutcome } from '../../conformance/analysis/accumulator_distinguishing.js';
import { distinguishingMarkdown, distinguishingTable } from '../../conformance/analysis/distinguishing.js';
import { ACCUMULATORS } from '../../contract/conv.js';

it('docs/conv_distinguishing.md is the table the exact reference gives (npm run docs:distinguishing)', () => {
  expect(readFileSync(new URL('../../docs/conv_distinguishing.md', import.meta.url), 'utf8')).toBe(distinguishingMarkdown());
});

// torch-onednn@1 and @2 differ only in how float32 reciprocals of non-power-of-two input scales round (the table's
// s_x and s_w are powers of two): vectors/torch-2.6 and scripts/conv/torch26_onednn_probe.py tell them apart
it('a handful of rows separates every pair of schemes except TFLite double rounding and CMSIS-NN (same arithmetic for positive multipliers) and the two torch onednn versions', () => {
  const t = distinguishingTable();
  expect(t.rows.length).toBeLessThanOrEqual(6);
  expect(t.inseparable).toEqual([['torch-onednn@1', 'torch-onednn@2'], ['tflite-double-rounding@1', 'cmsis-nn@1']]);
});

it('four convs separate every pair of accumulator models', () => {
  const columns = ACCUMULATORS.map((a) => JSON.stringify(ACCUMULATOR_ROWS.map((r) => accumulatorOutcome(r, a))));
  expect(new Set(columns).size).toBe(ACCUMULATORS.length);
});
