/**
 * How ONNX Runtime 1.30 splits a two-input broadcast into kernel calls: the Broadcaster constructor and
 * InputBroadcaster::IsInput0Scalar / IsInput1Scalar / GetSpanSize (onnxruntime/core/providers/cpu/math/element_wise_ops.h),
 * as BroadcastLooper uses them. Integer domain only: shapes in, one role and a span length out.
 *
 * The Broadcaster walks both shapes from their last dimension. The first dimension pair it keeps (it skips pairs of 1s
 * while more dimensions shared by both ranks remain; a rank-0 operand starts it at once) initialises each input's
 * iterator; an input whose dimension there is 1 gets delta 0 and is "the scalar" of every span. BroadcastLooper then
 * picks ONE functor for the whole call (input0scalar, input1scalar, else general, in that order) and calls it once per
 * span of `size` output elements. So the role is a property of the call, not of an output element: every span of a call
 * has the same scalar operand. Consequences the numpy view of broadcasting does not show: a [3, 1] with b [1] makes a
 * (not the one-element b) the scalar of spans of length 1; two one-element operands make a the scalar.
 *
 * The shapes must broadcast (contract/broadcast.ts broadcastShapes) and have no dimension of 0 (an empty output has
 * no span; callers do not ask).
 */

/** The span split of one call: which operand is the scalar of every span (null: both are spans) and the span length. */
export interface OrtBroadcastSpans {
  readonly scalar: 'a' | 'b' | null;
  readonly size: number;
}

/** One input's BroadcastIterator as the constructor builds it: its deltas and counts (only their first entries matter here). */
interface Iterator {
  readonly deltas: number[];
  readonly counts: number[];
  count: number;
}

function init(it: Iterator, axis: number, largest: number): void {
  it.deltas.push(axis > 1 ? 1 : 0);
  it.counts.push(largest);
  it.count *= axis;
}

function append(it: Iterator, axis: number, largest: number): void {
  const last = it.deltas[it.deltas.length - 1]!;
  if (axis > 1 ? last <= 0 : last > 0) {
    // StopBroadcasting / StartBroadcasting: a new run starts
    it.deltas.push(axis > 1 ? it.count : -it.count);
    it.counts.push(1);
  }
  it.counts[it.counts.length - 1]! *= largest;
  it.count *= axis;
}

/** ORT's span split for inputs of shapes `a` (input 0) and `b` (input 1). */
export function ortBroadcastSpans(a: readonly number[], b: readonly number[]): OrtBroadcastSpans {
  const i0: Iterator = { deltas: [], counts: [], count: 1 };
  const i1: Iterator = { deltas: [], counts: [], count: 1 };
  const dim = (s: readonly number[], fromEnd: number) => s[s.length - 1 - fromEnd]!;
  const min = Math.min(a.length, b.length);
  const max = Math.max(a.length, b.length);
  let k = 0;
  if (min === 0) {
    if (a.length === 0 && b.length === 0) {
      init(i0, 1, 1);
      init(i1, 1, 1);
    } else if (a.length === 0) {
      init(i0, 1, dim(b, 0));
      init(i1, dim(b, 0), dim(b, 0));
    } else {
      init(i0, dim(a, 0), dim(a, 0));
      init(i1, 1, dim(a, 0));
    }
    k = 1;
  } else {
    for (; k < min; k++) {
      const largest = Math.max(dim(a, k), dim(b, k));
      if (largest <= 1 && k + 1 < min) continue;
      init(i0, dim(a, k), largest);
      init(i1, dim(b, k), largest);
      k++;
      break;
    }
  }
  for (; k < min; k++) {
    const largest = Math.max(dim(a, k), dim(b, k));
    if (largest === 1) continue;
    append(i0, dim(a, k), largest);
    append(i1, dim(b, k), largest);
  }
  for (; k < max; k++) {
    const d = b.length === max ? dim(b, k) : dim(a, k);
    append(i0, b.length === max ? 1 : d, d);
    append(i1, b.length === max ? d : 1, d);
  }
  const scalar = i0.deltas[0] === 0 ? 'a' : i1.deltas[0] === 0 ? 'b' : null;
  return { scalar, size: Math.min(i0.counts[0]!, i1.counts[0]!) };
}
