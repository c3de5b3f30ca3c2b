import { describe, expect, it } from 'vitest';
import type { WireOutputs, WireRequest } from '../../conformance/protocol/messages.js';
import { outputDifference } from '../../conformance/runner/output_diff.js';
import { f32ToHex, f64ToHex } from '../../contract/wire.js';

const request = (xs: number[]): WireRequest => ({
  id: 'q-00000',
  op: 'quantize_per_tensor@1',
  attrs: { scale: f64ToHex(0.5), zero_point: 0, dtype: 'qint8' },
  inputs: { x: { dtype: 'float32', shape: [xs.length], hex: xs.map(f32ToHex) } },
});
const q = (values: number[]) => ({ q: { dtype: 'qint8' as const, shape: [values.length], values } });

describe('the first differing element', () => {
  it('names output, index, both values and the tie / saturation tags', () => {
    // x / 0.5: 1.25 -> 2.5 (a tie), -100 -> -200 (saturates at -128)
    expect(outputDifference(request([0, 1.25]), q([0, 2]), q([0, 3]))?.message).toBe('output q[1]: expected 2, got 3 [tie]');
    expect(outputDifference(request([-100]), q([-128]), q([-127]))?.element).toMatchObject({ index: 0, tags: ['saturated-low'] });
    expect(outputDifference(request([1]), q([2]), q([2]))).toBeNull();
  });

  it('shows float elements as bit patterns with their values, and reports dtype and shape first', () => {
    const y = (hex: string[]) => ({ y: { dtype: 'float32' as const, shape: [hex.length], hex } });
    expect(outputDifference(request([1]), y(['00000000']), y(['80000000']))?.message).toBe('output y[0]: expected 0x00000000 (0), got 0x80000000 (-0)');
    expect(outputDifference(request([1]), q([2]), { q: { dtype: 'quint8', shape: [1], values: [2] } })?.message).toMatch(/dtype differs: expected qint8, got quint8/);
    expect(outputDifference(request([1]), q([2]), q([2, 2]))?.message).toMatch(/shape differs: expected \[1\], got \[2\]/);
  });

  it('an extra output named constructor, toString or __proto__ is unexpected; an expected one is not found on the prototype', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      // as a backend's JSON line parses: an own member of that name
      const got = JSON.parse(`{"q":{"dtype":"qint8","shape":[1],"values":[2]},"${name}":{"dtype":"qint8","shape":[1],"values":[0]}}`) as WireOutputs;
      expect(outputDifference(request([1]), q([2]), got)?.message, name).toBe(`unexpected outputs ${name}`);
      // an output missing from the answer is missing even when its name is inherited
      const want = JSON.parse(`{"${name}":{"dtype":"qint8","shape":[1],"values":[0]}}`) as WireOutputs;
      expect(outputDifference(request([1]), want, q([2]))?.message, name).toBe(`output ${name} is missing`);
    }
  });
});
