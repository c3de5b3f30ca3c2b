/**
 * The files `qconform explain` reads (the model, --observers, --input) are regular files of bounded size: a FIFO,
 * a device such as /dev/zero or a directory is refused before it can block or stream forever, as vector files are
 * (vectors/vector_lines.ts readSmallFile, which does the reading). Every refusal is a ModelReadError.
 */
import { statSync } from 'node:fs';
import { specialFileKind } from '../vectors/file_kind.js';
import { VectorFileError } from '../vectors/vector_file_error.js';
import { readSmallFile } from '../vectors/vector_lines.js';
import { ModelReadError } from './model_types.js';

/** A model (.onnx, .pt, an observer file) is read whole: 512 MiB, several times a ResNet-50's float weights. */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/**
 * An --input file: 256 MiB, beyond any input explain can run (contract/limits.ts MAX_TENSOR_ELEMENTS float64
 * values are 32 MiB as .npy; as JSON text, about 60 bytes a number).
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

function kindOf(path: string, what: string): string {
  let s;
  try {
    s = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelReadError(path, `cannot read the ${what}: ${code === 'ENOENT' ? 'no such file (ENOENT)' : (code ?? (e as Error).message)}`);
  }
  return s.isFile() ? 'file' : specialFileKind(s);
}

/** Refuses (ModelReadError) a `what` at `path` that is missing, not a regular file, or larger than `maxBytes`. */
export function checkRegularFile(path: string, what: string, maxBytes: number): void {
  const kind = kindOf(path, what);
  if (kind !== 'file') throw new ModelReadError(path, `the ${what} is ${kind}; explain reads models and inputs from regular files only`);
  const size = statSync(path).size;
  if (size > maxBytes) throw new ModelReadError(path, `the ${what} is ${size} bytes; explain reads at most ${maxBytes}`);
}

/** Reads a regular file of at most `maxBytes` whole, without blocking on a FIFO or a device; refusals as checkRegularFile. */
export function readRegularFile(path: string, what: string, maxBytes: number): Buffer {
  checkRegularFile(path, what, maxBytes);
  try {
    return readSmallFile(path, maxBytes);
  } catch (e) {
    // the path changed under us between the check and the read (readSmallFile opens it O_NONBLOCK and checks again)
    if (e instanceof VectorFileError) throw new ModelReadError(path, `cannot read the ${what}: ${e.message.slice(e.location.length + 2)}`);
    throw e;
  }
}
