/**
 * ONNX multidirectional (numpy-style) broadcasting, as ONNX Runtime's InputBroadcaster applies it
 * (core/providers/cpu/math/element_wise_ops.h): shapes are aligned at their last dims, a dim of 1 stretches to the
 * other's, any other pair of unequal dims is refused. One canonical function for every op that broadcasts in full.
 */
import { QconformError } from './errors.js';

/** The broadcast shape of `shapes`, or a typed shape_mismatch naming them. */
export function broadcastShapes(what: string, shapes: Readonly<Record<string, readonly number[]>>): number[] {
  const all = Object.values(shapes);
  const rank = Math.max(0, ...all.map((s) => s.length));
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    let d = 1;
    for (const s of all) {
      const e = s[s.length - rank + k] ?? 1;
      if (e === 1) continue;
      if (d !== 1 && d !== e) throw new QconformError('shape_mismatch', what, shapes, 'shapes that broadcast (equal dims or 1, aligned at the last dim: ONNX multidirectional broadcasting, as numpy and torch)');
      d = e;
    }
    out.push(d);
  }
  return out;
}

/** For each element of `outShape` (row-major), the flat index of the element of `shape` it reads (shape broadcasts to outShape). */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array {
  const rank = outShape.length;
  const count = outShape.reduce((p, d) => p * d, 1);
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[rank - shape.length + k] = shape[k] === 1 ? 0 : stride;
    stride *= shape[k]!;
  }
  const index = new Int32Array(count);
  const coord = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    index[i] = at;
    for (let k = rank - 1; k >= 0; k--) {
      coord[k]!++;
      at += strides[k]!;
      if (coord[k]! < outShape[k]!) break;
      at -= strides[k]! * coord[k]!;
      coord[k] = 0;
    }
  }
  return index;
}
