/**
 * Float attributes as the wire carries them (float64 hex, contract/wire.ts f64ToHex) for values ONNX stores as float32
 * but checks nowhere: any float32 bit pattern (NaNs with their sign and payload bits, +-inf, subnormals, +-0), and the
 * float64s a model may hold that are not float32 (+-1e39, which rounds to +-inf; a NaN whose low float64 fraction bits
 * float32 drops). Drawn by the --fuzz generators of ORT ops that compute with such attributes
 * (ort_attribute_fuzz_cases.ts).
 */
import { float32FromBits } from '../../contract/float_bits.js';
import { hex64 } from './builders.js';
import type { CaseRandom } from './random.js';

/** Non-finite float64 hex values: +-inf, quiet / negative / signaling NaNs, payloads, and +-1e39 (+-inf in float32). */
export const NON_FINITE_F32_HEX: readonly string[] = [
  '7ff0000000000000', 'fff0000000000000',
  '7ff8000000000000', 'fff8000000000000', '7ff4000000000000', '7ff80000f0000000', 'fff0000020000000',
  hex64(1e39), hex64(-1e39),
];

/** The float64 hex of the float32 with these bits; a NaN keeps its sign and fraction (float64 fraction = float32's << 29). */
export function float32BitsHex(bits: number): string {
  const b = bits >>> 0;
  if ((b & 0x7f800000) !== 0x7f800000 || (b & 0x7fffff) === 0) return hex64(float32FromBits(b));
  const f64 = (BigInt(b >>> 31) << 63n) | (0x7ffn << 52n) | (BigInt(b & 0x7fffff) << 29n);
  return f64.toString(16).padStart(16, '0');
}

/** Any float32 as float64 hex: a third non-finite (NON_FINITE_F32_HEX), a sixth NaNs of random bits, else a random bit pattern. */
export function drawAnyFloat32Hex(r: CaseRandom): string {
  const u = r.next();
  if (u < 1 / 3) return r.pick(NON_FINITE_F32_HEX);
  if (u < 1 / 2) return float32BitsHex((r.uint32() | 0x7f800001) >>> 0);
  return float32BitsHex(r.uint32());
}
