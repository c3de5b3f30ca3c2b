/**
 * Reading vector files without trusting them: only regular files are opened (a FIFO, a device such as
 * /dev/zero or a directory is refused before it can block or stream forever), files are read in fixed
 * chunks and split into lines as they arrive, a line longer than the limit is refused at its line
 * number without being buffered whole, and the sha256 covers every byte read. Memory is one chunk plus
 * the longest line, whatever the size of the file.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { MAX_VECTOR_LINE_BYTES } from '../../contract/limits.js';
import { specialFileKind } from './file_kind.js';
import { VectorFileError } from './vector_file_error.js';

/** The longest case line a vector file may hold (contract/limits.ts). */
export const MAX_LINE_BYTES = MAX_VECTOR_LINE_BYTES;
/** manifest.json is read whole; a manifest of 16,000 files fits in well under 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

export interface ReadLimits {
  /** The longest line accepted, in bytes (without its newline); default MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
}

/** A line of a file: its text, 1-based number and where its bytes lie (for re-reading it later), and lineDigest of its bytes. */
export interface FileLine {
  readonly text: string;
  readonly line: number;
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * The digest (sha256, base64) of a line's bytes, without its newline: recorded when a file is first read
 * (forEachLine), compared when the line is read again, so a line edited in place (same size, same mtime) is noticed.
 */
export function lineDigest(parts: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('base64');
}

const describeKind = (path: string): string => specialFileKind(statSync(path));

/** What is at `path`: 'file', 'directory', or a VectorFileError for anything missing, unreadable or special. */
export function pathKind(path: string): 'file' | 'directory' {
  let s;
  try {
    s = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VectorFileError(path, 'missing', code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code ?? (e as Error).message})`);
  }
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  throw notAFile(path);
}

const notAFile = (path: string) => new VectorFileError(path, 'not-a-file', `${describeKind(path)}; qconform reads vectors, waivers and reports from regular files only`);

/** Open a regular file for reading; anything else is refused without blocking (O_NONBLOCK, then fstat). */
function openRegular(path: string): number {
  if (pathKind(path) === 'directory') throw notAFile(path); // a clear refusal for missing paths, devices, FIFOs and directories
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new VectorFileError(path, 'missing', `cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new VectorFileError(path, 'not-a-file', 'changed into something other than a regular file while being opened');
  }
  return fd;
}

/**
 * Stream the lines of a regular file to `onLine` (a final line without a newline counts; an empty file
 * has none) and return the sha256 of all its bytes. Refuses a line over the limit at its line number.
 */
export function forEachLine(path: string, onLine: (l: FileLine) => void, limits: ReadLimits = {}): { sha256: string; lines: number; bytes: number } {
  const maxLine = limits.maxLineBytes ?? MAX_LINE_BYTES;
  const fd = openRegular(path);
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = 0; // file offset of the current line's first byte
  let line = 1;
  let position = 0;
  const emit = (parts: Buffer[], bytes: number) => {
    const text = (parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes)).toString('utf8');
    onLine({ text, line, offset: lineStart, bytes, sha256: lineDigest(parts) });
  };
  const tooLong = () => new VectorFileError(`${path}:${line}`, 'line-length', `line is longer than ${maxLine} bytes (a case line may hold at most ${maxLine} bytes)`);
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, position);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        const end = nl === -1 || nl >= n ? n : nl;
        const piece = end - start;
        if (pendingBytes + piece > maxLine) throw tooLong();
        if (nl === -1 || nl >= n) {
          if (piece > 0) pending.push(Buffer.from(chunk.subarray(start, n)));
          pendingBytes += piece;
          break;
        }
        emit([...pending, chunk.subarray(start, nl)], pendingBytes + piece);
        pending = [];
        pendingBytes = 0;
        line++;
        lineStart = position + nl + 1;
        start = nl + 1;
      }
      position += n;
    }
    if (pendingBytes > 0) emit(pending, pendingBytes);
    else line--;
    return { sha256: hash.digest('hex'), lines: line, bytes: position };
  } finally {
    closeSync(fd);
  }
}

/** Read a small file whole (a manifest), refusing it when it is larger than `maxBytes` or not a regular file. */
export function readSmallFile(path: string, maxBytes: number): Buffer {
  const fd = openRegular(path);
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new VectorFileError(path, 'too-large', `${size} bytes; at most ${maxBytes} are read`);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Re-read `bytes` bytes at `offset` of a file (a case line located by forEachLine). */
export function readRange(path: string, offset: number, bytes: number): Buffer {
  const fd = openRegular(path);
  try {
    const buf = Buffer.alloc(bytes);
    let got = 0;
    while (got < bytes) {
      const n = readSync(fd, buf, got, bytes - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The sha256 of a regular file, read in chunks. */
export function hashFile(path: string): string {
  const fd = openRegular(path);
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    let position = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, position);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      position += n;
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}
