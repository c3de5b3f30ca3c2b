/**
 * Float tensors cross the wire as bits in both encodings: a NaN's sign and payload, signalling ones included, are the
 * same after json (hex) and base64le decoding and after encoding (a JavaScript number would quiet a signalling NaN:
 * 7f800001 -> 7fc00001).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../contract/tensor.js';
import { decodeTensor, encodeTensor } from '../../contract/wire.js';

const F32 = ['7f800001', 'ff800001', 'ffc00000', '7fc00000', '7fbfffff', '80000000', '00000001'];
const F64 = ['7ff0000000000001', 'fff0000000000001', 'fff8000000000000', '7ff7ffffffffffff', '8000000000000000'];

const bitsOf = (t: Tensor) => (t.dtype === 'float32' ? Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length), (b) => b.toString(16).padStart(8, '0')) : Array.from(new BigUint64Array(t.data.buffer, t.data.byteOffset, t.data.length), (b) => b.toString(16).padStart(16, '0')));

describe('wire: float bits survive decoding and encoding', () => {
  for (const [dtype, hex] of [['float32', F32], ['float64', F64]] as const) {
    it(`${dtype}: hex in, hex and base64le out, base64le in: the same bits`, () => {
      const t = decodeTensor({ dtype, shape: [hex.length], hex }, 'x');
      expect(bitsOf(t)).toEqual(hex);
      expect(encodeTensor(t)).toEqual({ dtype, shape: [hex.length], hex });
      const compact = encodeTensor(t, 'base64le') as { b64: string };
      const back = decodeTensor({ dtype, shape: [hex.length], b64: compact.b64 }, 'x');
      expect(bitsOf(back)).toEqual(hex);
      expect(encodeTensor(back)).toEqual({ dtype, shape: [hex.length], hex });
    });
  }
});
