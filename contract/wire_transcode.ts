/**
 * A wire tensor moved from one tensor encoding to the other bit for bit (docs/protocol.md, "Compact tensors"):
 * float elements go from hex to bytes and back as bit patterns, never through a JS number (which would quiet a
 * signalling NaN), integers through their checked values. The runner speaks `base64le` to a backend that offers
 * it while its vectors, diffs and reports keep the json form. A tensor that does not decode is refused with
 * decodeTensor's malformed_request error, so the caller can leave it as it was.
 */
import { type WireTensor, compactBytes, decodeTensor, encodeTensor } from './wire.js';
import { numel } from './tensor.js';

/** A json wire tensor (`hex` or `values`) in the `base64le` form. */
export function compactWireTensor(w: unknown, path: string): WireTensor {
  const t = decodeTensor(w, path);
  if ((w as { b64?: unknown }).b64 !== undefined) return w as WireTensor;
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return encodeTensor(t, 'base64le');
  const hex = (w as { hex: string[] }).hex;
  const width = t.dtype === 'float32' ? 4 : 8;
  const bytes = new DataView(new ArrayBuffer(hex.length * width));
  if (width === 4) hex.forEach((h, i) => bytes.setUint32(i * 4, parseInt(h, 16), true));
  else hex.forEach((h, i) => bytes.setBigUint64(i * 8, BigInt(`0x${h}`), true));
  return { dtype: t.dtype, shape: [...t.shape], b64: Buffer.from(bytes.buffer).toString('base64') };
}

/** A `base64le` wire tensor in the json form (`hex` for floats, `values` for integers). */
export function jsonWireTensor(w: unknown, path: string): WireTensor {
  const t = decodeTensor(w, path);
  if ((w as { b64?: unknown }).b64 === undefined) return w as WireTensor;
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return encodeTensor(t, 'json');
  const own = compactBytes((w as { b64: string }).b64, t.dtype, numel(t.shape), path);
  const bytes = new DataView(own.buffer, own.byteOffset, own.byteLength);
  const hex =
    t.dtype === 'float32'
      ? Array.from({ length: t.data.length }, (_, i) => bytes.getUint32(i * 4, true).toString(16).padStart(8, '0'))
      : Array.from({ length: t.data.length }, (_, i) => bytes.getBigUint64(i * 8, true).toString(16).padStart(16, '0'));
  return { dtype: t.dtype, shape: [...t.shape], hex };
}
