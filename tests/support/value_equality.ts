import type { Outcome } from './agreement.js';

/**
 * Equality of VALUES, for metamorphic relations: === on numbers (so -0 equals +0) and NaN equal to NaN.
 * Bit patterns are deliberately not compared: use expectSameResult (agreement.ts) for bit-exactness.
 */
export function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Both runs threw the same error code, or both produced outputs whose projected numbers are equal as values. */
export function expectSameValues<T>(a: Outcome<T>, b: Outcome<T>, project: (value: T) => Record<string, ArrayLike<number>>): void {
  if (a.kind === 'error' || b.kind === 'error') {
    const [ca, cb] = [a.kind === 'error' ? a.code : 'an output', b.kind === 'error' ? b.code : 'an output'];
    if (ca !== cb) throw new Error(`first run gave ${ca}, second ${cb}`);
    return;
  }
  const [pa, pb] = [project(a.value), project(b.value)];
  for (const [field, va] of Object.entries(pa)) {
    const vb = pb[field]!;
    if (va.length !== vb.length) throw new Error(`${field}: ${va.length} vs ${vb.length} elements`);
    for (let i = 0; i < va.length; i++) {
      if (!sameNumber(va[i]!, vb[i]!)) throw new Error(`${field}[${i}]: ${va[i]} vs ${vb[i]}`);
    }
  }
}
