/**
 * The input `qconform explain` runs a model on: a .npy file (little-endian float32 or float64, or uint8 / int8
 * integers, C order, format versions 1-3), a JSON file ({"shape": [...], "data": [...]} or a nested array:
 * json_tensor.ts), or seeded generated data (standard normal, CaseRandom) when none is given, labelled as
 * generated everywhere it is shown. A model that quantizes its input takes floats; one whose first layer reads a
 * uint8 / int8 graph input takes integers (integer_input.ts), so the first value that is not an integer, as the
 * file writes it, is kept.
 */
import { MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import { type F32Tensor, f32Tensor, numel } from '../../contract/tensor.js';
import { CaseRandom } from '../cases/random.js';
import { jsonTensorValues, parseJsonTensor } from './json_tensor.js';
import { ModelReadError } from './model_types.js';
import { MAX_INPUT_BYTES, readRegularFile } from './regular_file.js';

export { parseJsonTensor };

export interface ExplainInput {
  readonly tensor: F32Tensor;
  /** 'file' (the user's data) or 'generated' (seeded) */
  readonly origin: 'file' | 'generated';
  readonly description: string;
  /** the file read, for an input of origin 'file' */
  readonly path?: string;
  /** a .npy of integers (|u1, |i1): their dtype (taken for a uint8 / int8 graph input only) */
  readonly intDtype?: 'uint8' | 'int8';
  /** the first value of the file that is not an integer, as written (before rounding to float32) */
  readonly nonInteger?: { readonly index: number; readonly value: number };
  /** the seed, for an input of origin 'generated' */
  readonly seed?: string;
}

/** The first of `values` that is not an integer (NaN and infinities included), or undefined. */
function firstNonInteger(values: ArrayLike<number>): ExplainInput['nonInteger'] {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return { index: i, value: values[i]! };
  return undefined;
}

/**
 * Refuses (ModelReadError at `where`) an input shape of more than MAX_TENSOR_ELEMENTS elements: the conv ops refuse
 * a larger x (contract/limits.ts), and generating or quantizing it first could take all of memory.
 */
export function checkInputElements(where: string, shape: readonly number[], hint = ''): void {
  const n = numel(shape);
  if (!(n <= MAX_TENSOR_ELEMENTS)) {
    throw new ModelReadError(where, `shape [${shape.join(', ')}] has ${n} elements; explain runs inputs of at most ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS, contract/limits.ts)${hint}`);
  }
}

const NPY_MAGIC = '\x93NUMPY';

/** The longest .npy header read: numpy's own default max_header_size (numpy.lib.format), far above a float array's. */
export const MAX_NPY_HEADER_BYTES = 10_000;

const NPY_DTYPES: Readonly<Record<string, { readonly width: number; readonly read: (v: DataView, o: number) => number; readonly int?: 'uint8' | 'int8' }>> = {
  '<f4': { width: 4, read: (v, o) => v.getFloat32(o, true) },
  '<f8': { width: 8, read: (v, o) => v.getFloat64(o, true) },
  '|u1': { width: 1, read: (v, o) => v.getUint8(o), int: 'uint8' },
  '|i1': { width: 1, read: (v, o) => v.getInt8(o), int: 'int8' },
};

/**
 * The dims of a .npy header's shape tuple (`dims`: its text between the parentheses, "1, 3, 8, 8" or "3,"), as numpy
 * reads them (numpy/lib/format.py _read_array_header; measured with numpy 1.24): non-negative integers, a Python 2 long's
 * 'L' suffix allowed (_filter_header). Anything else numpy refuses ("shape is not valid: (1.0, 3, 8, 8)"; a negative dim
 * when it makes the array), and so does explain, naming the file and its header. Before, a negative dim was read and
 * reached the first op as "quantize_linear: x.shape ... shape_mismatch", and a float dim was read as an integer.
 */
function npyShape(path: string, header: string, dims: string): number[] {
  const parts = dims.split(',').map((d) => d.trim());
  if (parts[parts.length - 1] === '') parts.pop(); // "3," (a 1-tuple), "" (a scalar)
  const what = `.npy header ${header.trim()}: its shape (${dims})`;
  const bad = parts.find((d) => !/^\d+L?$/.test(d));
  if (bad !== undefined) throw new ModelReadError(path, `${what} has dim ${bad || '(empty)'}, not a non-negative integer (numpy reads no other)`);
  const shape = parts.map((d) => Number(d.replace('L', '')));
  const huge = shape.find((d) => !Number.isSafeInteger(d));
  if (huge !== undefined) throw new ModelReadError(path, `${what} has dim ${huge}, above 2^53`);
  return shape;
}

/** Parses .npy bytes (float32, float64, uint8 or int8, not Fortran order) as float32 values; parseNpy's result. */
export function parseNpy(path: string, bytes: Uint8Array): F32Tensor {
  return readNpy(path, bytes).tensor;
}

/**
 * Parses .npy bytes: float32 ('<f4'), float64 ('<f8', rounded to float32), uint8 ('|u1') or int8 ('|i1'), not
 * Fortran order; with the integer dtype and the first value that is not an integer (a float64's before rounding).
 */
export function readNpy(path: string, bytes: Uint8Array): { tensor: F32Tensor; intDtype?: 'uint8' | 'int8'; nonInteger?: ExplainInput['nonInteger'] } {
  // byte by byte: a spread of a long range overflows the stack
  const text = (a: number, b: number) => Array.from(bytes.subarray(a, b), (c) => String.fromCharCode(c)).join('');
  if (bytes.length < 10 || text(0, 6) !== NPY_MAGIC) throw new ModelReadError(path, 'not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new ModelReadError(path, `.npy format version ${major} is not supported (1 to 3)`);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new ModelReadError(path, `.npy file of ${bytes.length} bytes ends inside its header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_NPY_HEADER_BYTES) throw new ModelReadError(path, `.npy header length ${headerLen} is over ${MAX_NPY_HEADER_BYTES} bytes (numpy's own max_header_size)`);
  if (start + headerLen > bytes.length) throw new ModelReadError(path, `.npy header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  const header = text(start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new ModelReadError(path, `unreadable .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new ModelReadError(path, '.npy in Fortran order is not supported');
  const shape = npyShape(path, header, shapeText);
  const dtype = NPY_DTYPES[descr];
  if (!dtype) throw new ModelReadError(path, `.npy dtype ${descr} is not supported (little-endian float32 or float64, or uint8 / int8)`);
  const n = numel(shape);
  const offset = start + headerLen;
  if (bytes.length - offset !== n * dtype.width) throw new ModelReadError(path, `.npy holds ${bytes.length - offset} data bytes for shape (${shape.join(', ')})`);
  const data = new Float32Array(n);
  let nonInteger: ExplainInput['nonInteger'];
  for (let i = 0; i < n; i++) {
    const v = dtype.read(view, offset + dtype.width * i);
    if (nonInteger === undefined && !Number.isInteger(v)) nonInteger = { index: i, value: v };
    data[i] = v;
  }
  return { tensor: f32Tensor(shape, data), ...(dtype.int ? { intDtype: dtype.int } : {}), ...(nonInteger ? { nonInteger } : {}) };
}

/** Reads --input (a regular file: regular_file.ts), .npy by its extension, JSON otherwise. */
export function readInputTensor(path: string): ExplainInput {
  const bytes = readRegularFile(path, 'input', MAX_INPUT_BYTES);
  let read: ReturnType<typeof readNpy>;
  if (path.endsWith('.npy')) {
    read = readNpy(path, bytes);
  } else {
    const json = jsonTensorValues(path, new TextDecoder().decode(bytes));
    const nonInteger = firstNonInteger(json.data);
    read = { tensor: f32Tensor(json.shape, Float32Array.from(json.data)), ...(nonInteger ? { nonInteger } : {}) };
  }
  checkInputElements(path, read.tensor.shape);
  return { ...read, origin: 'file', description: `${path} [${read.tensor.shape.join(', ')}]`, path };
}

/** Seeded standard-normal data of `shape` (the same seed gives the same data on every machine); at most MAX_TENSOR_ELEMENTS. */
export function generatedInput(shape: readonly number[], seed: string): ExplainInput {
  checkInputElements('generated input', shape, ': pass a smaller --shape N,C,H,W, or --input FILE');
  const rng = new CaseRandom(`explain-input:${seed}`);
  const data = Float32Array.from({ length: numel(shape) }, () => rng.normal());
  return { tensor: f32Tensor(shape, data), origin: 'generated', seed, description: `GENERATED: seeded standard normal data (seed ${seed}), shape [${shape.join(', ')}]; pass --input FILE.npy|FILE.json for your own` };
}
