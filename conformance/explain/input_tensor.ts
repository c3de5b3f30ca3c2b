/**
 * The float input `qconform explain` runs a model on: a .npy file (little-endian float32 or float64, C order,
 * format versions 1-3), a JSON file ({"shape": [...], "data": [...]} or a nested array: json_tensor.ts), or
 * seeded generated data (standard normal, CaseRandom) when none is given, labelled as generated everywhere it is
 * shown.
 */
import { MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import { type F32Tensor, f32Tensor, numel } from '../../contract/tensor.js';
import { CaseRandom } from '../cases/random.js';
import { parseJsonTensor } from './json_tensor.js';
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

/** Parses .npy bytes: float32 ('<f4') or float64 ('<f8', rounded to float32), not Fortran order. */
export function parseNpy(path: string, bytes: Uint8Array): F32Tensor {
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
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const width = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (!width) throw new ModelReadError(path, `.npy dtype ${descr} is not supported (little-endian float32 or float64)`);
  const n = numel(shape);
  const offset = start + headerLen;
  if (bytes.length - offset !== n * width) throw new ModelReadError(path, `.npy holds ${bytes.length - offset} data bytes for shape (${shape.join(', ')})`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = width === 4 ? view.getFloat32(offset + 4 * i, true) : view.getFloat64(offset + 8 * i, true);
  return f32Tensor(shape, data);
}

/** Reads --input (a regular file: regular_file.ts), .npy by its extension, JSON otherwise. */
export function readInputTensor(path: string): ExplainInput {
  const bytes = readRegularFile(path, 'input', MAX_INPUT_BYTES);
  const tensor = path.endsWith('.npy') ? parseNpy(path, bytes) : parseJsonTensor(path, new TextDecoder().decode(bytes));
  checkInputElements(path, tensor.shape);
  return { tensor, origin: 'file', description: `${path} [${tensor.shape.join(', ')}]`, path };
}

/** Seeded standard-normal data of `shape` (the same seed gives the same data on every machine); at most MAX_TENSOR_ELEMENTS. */
export function generatedInput(shape: readonly number[], seed: string): ExplainInput {
  checkInputElements('generated input', shape, ': pass a smaller --shape N,C,H,W, or --input FILE');
  const rng = new CaseRandom(`explain-input:${seed}`);
  const data = Float32Array.from({ length: numel(shape) }, () => rng.normal());
  return { tensor: f32Tensor(shape, data), origin: 'generated', description: `GENERATED: seeded standard normal data (seed ${seed}), shape [${shape.join(', ')}]; pass --input FILE.npy|FILE.json for your own` };
}
