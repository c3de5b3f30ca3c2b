/**
 * A JSON --input of `qconform explain`: {"shape": [...], "data": [flat numbers]} or a nested array of numbers
 * (C order). A nested array is walked to a depth of at most MAX_JSON_RANK and must be regular (every row of a
 * level as long as the first); anything else, JSON null included, is a ModelReadError.
 */
import { type F32Tensor, f32Tensor, numel } from '../../contract/tensor.js';
import { ModelReadError } from './model_types.js';

/** The deepest nested array read: explain runs [N, F] and [N, C, H, W] inputs; 8 leaves room, and bounds the walk. */
export const MAX_JSON_RANK = 8;

const FORM = 'a JSON tensor is {"shape": [positive ints], "data": [numbers]} or a nested array of numbers';

/** The shape of a nested array, from its first elements; deeper than MAX_JSON_RANK is refused. */
function nestedShape(path: string, v: unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) {
    if (shape.length === MAX_JSON_RANK) throw new ModelReadError(path, `a nested JSON tensor of more than ${MAX_JSON_RANK} dimensions is not read`);
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** The numbers of a nested array of `shape` in C order, or null when it is ragged or holds a non-number. */
function flatten(v: unknown, shape: readonly number[]): number[] | null {
  const out: number[] = [];
  // recursion depth is shape.length, at most MAX_JSON_RANK
  const walk = (a: unknown, d: number): boolean => {
    if (d === shape.length) {
      if (typeof a !== 'number') return false;
      out.push(a);
      return true;
    }
    return Array.isArray(a) && a.length === shape[d] && a.every((x) => walk(x, d + 1));
  };
  return walk(v, 0) ? out : null;
}

/** Parses a JSON tensor: {"shape": [...], "data": [flat numbers]} or a regular nested array of numbers, as float32. */
export function parseJsonTensor(path: string, text: string): F32Tensor {
  const { shape, data } = jsonTensorValues(path, text);
  return f32Tensor(shape, Float32Array.from(data));
}

/** A JSON tensor's shape and its numbers as written (C order), before any rounding. */
export function jsonTensorValues(path: string, text: string): { shape: number[]; data: number[] } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ModelReadError(path, `not JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object') throw new ModelReadError(path, `${FORM}, not ${v === null ? 'null' : typeof v}`);
  const nested = Array.isArray(v);
  const shape: unknown = Array.isArray(v) ? nestedShape(path, v) : (v as { shape?: unknown }).shape;
  if (!Array.isArray(shape) || !shape.length || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) throw new ModelReadError(path, FORM);
  const data: unknown = nested ? flatten(v, shape) : (v as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length !== numel(shape) || !data.every((x) => typeof x === 'number')) {
    throw new ModelReadError(path, `the JSON tensor's data must be ${numel(shape)} numbers for shape [${shape.join(', ')}]${nested ? ' (a regular nested array)' : ''}`);
  }
  return { shape: shape as number[], data: data as number[] };
}
