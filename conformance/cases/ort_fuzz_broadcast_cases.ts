/**
 * What `--fuzz` draws for com.microsoft QLinearAdd / QLinearMul beyond the committed vector set: every numpy broadcast.
 * ORT 1.30 broadcasts a and b in full, its InputBroadcaster choosing once per call which operand is the scalar of every
 * span (onnxruntime/core/providers/cpu/math/element_wise_ops.h; contract/ort_broadcast_spans.ts; measured through
 * onnxruntime-node: tests/backends/ort_qlinear_broadcast.test.ts), and qconform models that; but qlinearAddCase and
 * qlinearMulCase, the generators of vectors/onnxruntime-1.30-ops, draw only equal shapes, a one-element operand or one
 * shape a suffix of the other, and must keep writing a byte-identical set. So the fuzz catalogues (fuzz_catalogs.ts)
 * draw the vector generator's case, then, for GENERAL_BROADCAST_RATE of them, draw the shapes anew as a general
 * broadcast (per-channel [1, C, 1, 1] with [N, C, H, W], [N, 1, W] with [N, H, W], [X, 1, Z] with [1, Y, Z], a column
 * with a row, a column with a one-element operand, which ORT makes the scalar of spans of length 1 although the other
 * operand has one element, and seeded per-dimension mixes), in either order, and a's and b's values for them; an
 * EMPTY_BROADCAST_SHARE of those redraws is an empty broadcast instead (emptyBroadcastShapes: a dimension of 0 that
 * meets a 1, a missing dimension or another 0, so ORT returns an empty y, or, now and then, a 0 that meets another
 * dimension, which ORT refuses; measured in tests/backends/ort_qlinear_broadcast.test.ts). The extra draws come after
 * the generator's, so its own draws are untouched. The generator's cases that pair every value of one operand's dtype
 * with the other (its QLinearAdd witnesses and value grids, whose values are chosen for their shapes) keep their shapes.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { numel } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import { type CaseFactory, wireInt } from './builders.js';
import { type Stress, qlinearAddCase, qlinearMulCase, values } from './onnx_qops_cases.js';
import type { CaseRandom } from './random.js';

/** The share of the generator's cases (value grids aside) whose shapes are drawn anew as a general broadcast. */
export const GENERAL_BROADCAST_RATE = 0.4;

/** The share of those redraws that draw an empty broadcast (emptyBroadcastShapes) instead of a general one. */
export const EMPTY_BROADCAST_SHARE = 0.2;

/** A dimension other than 1 (rank <= 4, so a drawn output has 1296 elements at most). */
const dim = (r: CaseRandom) => r.int(2, 6);

/** A pair of shapes that broadcast (numpy rules), in one of the forms above, in either operand order. */
export function generalBroadcastShapes(r: CaseRandom): [number[], number[]] {
  const kind = r.int(0, 5);
  let pair: [number[], number[]];
  if (kind === 0) {
    const c = dim(r);
    pair = [[1, c, 1, 1], [r.int(1, 2), c, dim(r), dim(r)]]; // per-channel
  } else if (kind === 1) {
    const [n, w] = [dim(r), dim(r)];
    pair = [[n, 1, w], [n, dim(r), w]];
  } else if (kind === 2) {
    const z = dim(r);
    pair = [[dim(r), 1, z], [1, dim(r), z]];
  } else if (kind === 3) {
    pair = [[dim(r), 1], r.bool(0.5) ? [1, dim(r)] : [dim(r)]]; // a column with a row
  } else if (kind === 4) {
    pair = [[...(r.bool(0.3) ? [dim(r)] : []), dim(r), 1], r.pick([[], [1], [1, 1]])]; // a column with a one-element operand
  } else {
    const a: number[] = [];
    const b: number[] = [];
    for (let k = r.int(1, 4); k > 0; k--) {
      const d = dim(r);
      const where = r.int(0, 3); // shared, 1 in a, 1 in b, 1 in both
      a.push(where === 1 || where === 3 ? 1 : d);
      b.push(where === 2 || where === 3 ? 1 : d);
    }
    const drop = (s: number[]) => s.slice(r.int(1, s.length)); // leading dims dropped (all of them: rank 0)
    pair = r.bool(0.3) ? (r.bool(0.5) ? [drop(a), b] : [a, drop(b)]) : [a, b];
  }
  return r.bool(0.5) ? pair : [pair[1], pair[0]];
}

/**
 * A pair of shapes of which one has a dimension of 0, in either operand order. ORT 1.30 broadcasts a 0 against a 0, a 1
 * or a missing dimension to an empty y (its Broadcaster: "Can broadcast 0 by 0 or 1"), as numpy does: [0, C] with
 * [1, C], [C] or [0, C]; [N, 0] with [N, 1], [1] or []; [0] with [] or [1]; a 0 meeting a 1 while the other dims
 * broadcast ([N, 1, 0] with [1, H, 1], [0, 1] with [1, W]); seeded per-dimension mixes with one dim of 0. One draw in
 * eight pairs a 0 with a dimension of 2 or more ([0, C] with [M, C], [N, 0] with [N, W], [0] with [W]), which ORT
 * refuses (shape inference: "Incompatible dimensions"), as contract/broadcast.ts does.
 */
export function emptyBroadcastShapes(r: CaseRandom): [number[], number[]] {
  const kind = r.int(0, 7);
  const [n, c] = [dim(r), dim(r)];
  let pair: [number[], number[]];
  if (kind === 0) pair = [[0, c], r.pick([[1, c], [c], [0, c], [1, 1]])];
  else if (kind === 1) pair = [[n, 0], r.pick([[n, 1], [1], [], [1, 0]])];
  else if (kind === 2) pair = [[0], r.pick([[], [1], [0], [1, 1]])];
  else if (kind === 3) pair = [[n, 1, 0], [1, c, 1]];
  else if (kind === 4) pair = r.bool(0.5) ? [[0, 1], [1, c]] : [[1, 0], [n, 1]];
  else if (kind === 7) pair = r.pick<[number[], number[]]>([[[0, c], [n, c]], [[n, 0], [n, c]], [[0], [c]]]); // refused by ORT
  else {
    const a: number[] = [];
    const b: number[] = [];
    const rank = r.int(1, 4);
    const zeroAt = r.int(0, rank - 1);
    for (let k = 0; k < rank; k++) {
      const d = k === zeroAt ? 0 : dim(r);
      const where = r.int(0, 3); // shared, 1 in a, 1 in b, 1 in both
      a.push(where === 1 || where === 3 ? 1 : d);
      b.push(where === 2 || where === 3 ? 1 : d);
    }
    if (!a.includes(0) && !b.includes(0)) a[zeroAt] = 0; // the 0 fell on a 1 of both: put it back in a
    pair = r.bool(0.3) ? [a.slice(r.int(1, a.length)), b] : [a, b];
    if (!pair[0].includes(0) && !pair[1].includes(0)) pair = [a, b]; // dropping the 0 would leave no empty operand
  }
  return r.bool(0.5) ? pair : [pair[1], pair[0]];
}

/** Whether a or b has no element (a dimension of 0): an empty broadcast, or one ORT refuses. */
export const isEmptyBroadcast = (a: readonly number[], b: readonly number[]) => numel(a) === 0 || numel(b) === 0;

function stripOnes(s: readonly number[]): readonly number[] {
  const first = s.findIndex((d) => d !== 1);
  return first === -1 ? [] : s.slice(first);
}
const isSuffix = (small: readonly number[], big: readonly number[]) => small.length <= big.length && small.every((d, i) => d === big[big.length - small.length + i]);

/**
 * Whether a and b broadcast in a form the committed generator never draws: neither equal shapes, nor a one-element
 * operand, nor one shape a suffix of the other once leading 1s are dropped (onnx_qops_cases.ts binaryShapes), nor an
 * empty operand (isEmptyBroadcast, the other form it never draws).
 */
export function isGeneralBroadcast(a: readonly number[], b: readonly number[]): boolean {
  if (numel(a) <= 1 || numel(b) <= 1) return false;
  const [ta, tb] = [stripOnes(a), stripOnes(b)];
  return !isSuffix(ta, tb) && !isSuffix(tb, ta);
}

/** Whether `t` holds every value of its 8-bit dtype (the generator's value grids and QLinearAdd witnesses). */
function isValueGrid(t: { dtype: string; data: ArrayLike<number> }): boolean {
  const range = DTYPE_RANGE[t.dtype as QuantDtype];
  return range !== undefined && t.data.length >= range.max - range.min + 1 && new Set(Array.from(t.data)).size === range.max - range.min + 1;
}

const withGeneralBroadcasts =
  (factory: CaseFactory): CaseFactory =>
  (r, index) => {
    const c = factory(r, index);
    const inputs = c.inputs as Record<string, unknown>;
    const [a, b] = [decodeTensor(inputs.a, 'a'), decodeTensor(inputs.b, 'b')];
    if (isValueGrid(a) || isValueGrid(b) || !r.bool(GENERAL_BROADCAST_RATE)) return c;
    const [sa, sb] = r.bool(EMPTY_BROADCAST_SHARE) ? emptyBroadcastShapes(r) : generalBroadcastShapes(r);
    const stress: Stress = r.bool(0.2) ? 'extremes' : 'typical';
    // each operand keeps its dtype (the generator's few requests with a and b of different dtypes stay refused)
    inputs.a = wireInt(a.dtype as QuantDtype, sa, values(r, a.dtype as QuantDtype, numel(sa), stress));
    inputs.b = wireInt(b.dtype as QuantDtype, sb, values(r, b.dtype as QuantDtype, numel(sb), stress));
    return c;
  };

/** qlinearAddCase, its shapes drawn anew as a general broadcast at GENERAL_BROADCAST_RATE. */
export const qlinearAddFuzzCase: CaseFactory = withGeneralBroadcasts(qlinearAddCase);

/** qlinearMulCase, its shapes drawn anew as a general broadcast at GENERAL_BROADCAST_RATE. */
export const qlinearMulFuzzCase: CaseFactory = withGeneralBroadcasts(qlinearMulCase);
