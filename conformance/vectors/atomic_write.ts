/**
 * Writing a whole file so that readers never see half of it: a temporary sibling, then a rename over the destination.
 * A rename replaces whatever the destination is, so a destination that exists and is not a regular file (a FIFO, a
 * device such as /dev/full, a socket) is refused rather than replaced; every failure is a FileWriteError naming the
 * path, which the CLI prints as one line (conformance/cli/main.ts), never a stack trace.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { specialFileKind } from './file_kind.js';

export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    readonly path: string,
    /** what went wrong, without the path */
    readonly why: string,
  ) {
    super(`cannot write ${path}: ${why}`);
  }
}

/** Why `path` must not be replaced by a written file (it exists and is not a regular file), else null. */
export function notReplaceableProblem(path: string): string | null {
  let s;
  try {
    s = statSync(path, { throwIfNoEntry: false });
  } catch {
    return null; // not there to be replaced (a folder on its path is a file): the write names the failure
  }
  if (s === undefined || s.isFile()) return null;
  return `it is ${specialFileKind(s)}, which writing the file would replace`;
}

/** Write `text` to `path` atomically (its folders created); FileWriteError when that cannot be done. */
export function writeFileAtomic(path: string, text: string): void {
  const problem = notReplaceableProblem(path);
  if (problem) throw new FileWriteError(path, problem);
  const tmp = `${path}.tmp-${process.pid}`;
  let step = 'creating its folder';
  try {
    mkdirSync(dirname(path), { recursive: true });
    step = `writing the temporary file ${basename(tmp)} beside it`;
    writeFileSync(tmp, text);
    step = 'renaming the temporary file onto it';
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing to remove (its folder is not a directory, or could not be made)
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileWriteError(path, `${code ?? (e instanceof Error ? e.message : String(e))} while ${step}`);
  }
}
