/**
 * Equality of a scheme's impl and reference on all 2^32 int32 accumulators, from O(breakpoints) checks.
 * Within each segment between cut points (requant_cuts.ts) both functions are monotone non-decreasing.
 * The impl's breakpoints b (impl(b - 1) != impl(b)) are found by bisection; the reference is then checked
 * at every segment end and at b - 1, b, b + 1. Between two consecutive breakpoints the impl is constant
 * (monotone, equal at both ends of the run) and the reference equals it at both ends, so, being monotone
 * too, it equals it everywhere in the run. The bench's brute-force sweep of all 2^32 inputs cross-checks
 * the impl's monotonicity per segment.
 */
import type { RequantOutcome, RequantPair } from './requant_pair.js';
import { INT32_MAX, INT32_MIN } from './requant_cuts.js';

export interface ProofReport {
  readonly segments: number;
  readonly breakpoints: number;
  readonly referenceChecks: number;
  readonly mismatches: string[];
}

function breakpoints(f: (x: number) => RequantOutcome, lo: number, hi: number, flo: RequantOutcome, fhi: RequantOutcome, out: number[]): void {
  if (flo === fhi) return;
  if (hi - lo === 1) {
    out.push(hi);
    return;
  }
  const mid = Math.floor((lo + hi) / 2);
  const fm = f(mid);
  breakpoints(f, lo, mid, flo, fm, out);
  breakpoints(f, mid, hi, fm, fhi, out);
}

/** Segments [c_i, c_{i+1} - 1] of int32 split at the cut points. */
export function segments(cuts: readonly number[]): Array<[number, number]> {
  const starts = [...new Set([INT32_MIN, ...cuts.filter((c) => c > INT32_MIN && c <= INT32_MAX)])].sort((a, b) => a - b);
  return starts.map((s, i) => [s, i + 1 < starts.length ? (starts[i + 1] as number) - 1 : INT32_MAX]);
}

export function proveOnAllInt32(pair: RequantPair, cuts: readonly number[]): ProofReport {
  const mismatches: string[] = [];
  let referenceChecks = 0;
  let count = 0;
  const check = (x: number) => {
    referenceChecks++;
    const [r, i] = [pair.ref(x), pair.impl(x)];
    if (r !== i && mismatches.length < 5) mismatches.push(`acc ${x}: reference ${r}, impl ${i}`);
  };
  const segs = segments(cuts);
  for (const [lo, hi] of segs) {
    const found: number[] = [];
    breakpoints(pair.impl, lo, hi, pair.impl(lo), pair.impl(hi), found);
    count += found.length;
    const points = new Set<number>([lo, hi]);
    for (const b of found) for (const x of [b - 1, b, b + 1]) if (x >= lo && x <= hi) points.add(x);
    points.forEach(check);
  }
  return { segments: segs.length, breakpoints: count, referenceChecks, mismatches };
}
