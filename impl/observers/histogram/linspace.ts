const f32 = Math.fround;
const bits = new Float32Array(1);
const bitsInt = new Int32Array(bits.buffer);

/** The float32 neighbours of a finite float32 value r: the next one up (+1) or down (-1). */
function nextF32(r: number, direction: 1 | -1): number {
  if (r === 0) return direction * 2 ** -149;
  bits[0] = r;
  bitsInt[0]! += (r > 0) === (direction > 0) ? 1 : -1;
  return bits[0]!;
}

/**
 * float32 fma(a, b, c) with one rounding, for float32 operands: a * b is exact in binary64 (48 bits);
 * s = f64(p + c) and its error err (TwoSum) give p + c = s + err exactly. f32(s) is the correctly rounded
 * result unless s lies exactly halfway between two float32 values and err != 0: then err picks the side.
 * (Every float32 midpoint is a binary64 value, so the true sum cannot cross one without s being it.)
 * ATen compiles linspace's `start + step * idx` into such an FMA on AVX2.
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  const r = f32(s);
  if (err === 0 || !Number.isFinite(s) || r === s) return r;
  const lo = r < s ? r : nextF32(r, -1);
  const hi = r < s ? nextF32(r, 1) : r;
  if (s - lo !== hi - s) return r; // not a midpoint: s rounds like p + c
  return err > 0 ? hi : lo;
}

/** Element `index` of float32 torch.linspace(start, end, steps), scalar kernel: fma(step, i, start) below steps/2, fma(-step, steps-1-i, end) above. */
export function linspaceElement(start: number, end: number, step: number, steps: number, index: number): number {
  return index < Math.floor(steps / 2) ? fmaF32(step, index, start) : fmaF32(-step, steps - 1 - index, end);
}

/** linspace's step: f32(f32(end - start) / f32(steps - 1)). */
export function linspaceStep(start: number, end: number, steps: number): number {
  return f32(f32(end - start) / f32(steps - 1));
}
