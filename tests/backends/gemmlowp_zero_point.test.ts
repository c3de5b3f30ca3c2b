/**
 * requantize@1 under tflite-double-rounding@1 adds the zero point as TFLite's `acc += output_offset`, an int32 add that
 * wraps, before the clamp. The gemmlowp adapter runs gemmlowp's own output stage (OutputStageScaleInt32ByFixedPointAndExponent,
 * internal/output.h, on SSE4.1 registers: its Add is _mm_add_epi32) against the scalar composition, so a live run here
 * is gemmlowp's evidence. Accumulators at both ends of int32 with multipliers near 2^31 put MultiplyByQuantizedMultiplier's
 * result within the zero point of +-2^31.
 */
import { describe, expect, it } from 'vitest';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { mbqmDoubleRounding } from '../../impl/requant/tflite_double_rounding.js';
import { IMPLEMENTATIONS, replayBackend } from '../support/implementations.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const ACC = [INT32_MIN, INT32_MIN + 1, INT32_MIN + 1000, -1, 0, 1, INT32_MAX - 1000, INT32_MAX - 1, INT32_MAX];

/** A request and, per accumulator, r + zero_point with r = MultiplyByQuantizedMultiplier(acc) (may leave int32). */
function requests(): Array<{ r: WireRequest; sums: number[] }> {
  const out: Array<{ r: WireRequest; sums: number[] }> = [];
  for (const multiplier of [INT32_MAX, 2 ** 31 - 100, 2 ** 30])
    for (const shift of [0, 1, -1])
      for (const zeroPoint of [INT32_MIN, -1000, -2, -1, 1, 465, INT32_MAX])
        for (const [outputMin, outputMax] of [[INT32_MIN, INT32_MAX], [-128, 127]] as const) {
          const r: WireRequest = {
            id: `gemmlowp-zp-m${multiplier}-s${shift}-zp${zeroPoint}-out${outputMin}`,
            op: 'requantize@1',
            attrs: { scheme: 'tflite-double-rounding@1', multiplier, shift, zero_point: zeroPoint, output_min: outputMin, output_max: outputMax },
            inputs: { acc: { dtype: 'int32', shape: [ACC.length], values: ACC } },
          };
          out.push({ r, sums: ACC.map((a) => mbqmDoubleRounding(a, multiplier, Math.max(shift, 0), Math.max(-shift, 0)) + zeroPoint) });
        }
  return out;
}

const gemmlowp = builtinBackend('gemmlowp')!;

describe.skipIf(!gemmlowp.availability().available)('the gemmlowp adapter (gemmlowp\'s output stage on SSE4.1)', () => {
  it('wraps the zero-point add as reference and impl do, at both ends of int32', async () => {
    const b = await gemmlowp.create();
    try {
      let wraps = 0;
      for (const { r, sums } of requests()) {
        const lib = await b.run(r, { timeoutMs: 60_000 });
        expect('outputs' in lib, `${r.id}: ${JSON.stringify(lib).slice(0, 300)}`).toBe(true);
        if (!('outputs' in lib)) continue;
        for (const [name, ops] of IMPLEMENTATIONS) {
          const got = evaluateRequest(ops, r);
          expect('outputs' in got ? got.outputs.y : got, `${r.id} (replay: echo '${JSON.stringify(r)}' | ${replayBackend(name)})`).toEqual(lib.outputs.y);
        }
        // with the whole int32 range as the clamp, a sum outside int32 is gemmlowp's wrapped one, not the clamp's end
        if ((r.attrs as { output_min: number }).output_min !== INT32_MIN) continue;
        const y = (lib.outputs.y as { values: number[] }).values;
        sums.forEach((sum, i) => {
          if (sum >= INT32_MIN && sum <= INT32_MAX) return;
          wraps++;
          expect(y[i], `${r.id} acc[${i}]: r + zero_point = ${sum} wraps (replay: echo '${JSON.stringify(r)}' | build/native/gemmlowp_backend)`).toBe(sum > INT32_MAX ? sum - 2 ** 32 : sum + 2 ** 32);
        });
      }
      expect(wraps, 'accumulators whose zero-point add wraps (full int32 output range)').toBeGreaterThan(30);
    } finally {
      await b.close?.();
    }
  }, 120_000);
});
