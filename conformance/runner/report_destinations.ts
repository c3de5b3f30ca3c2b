/**
 * `--report`, `--junit` and `--html` are checked before a run starts, so a run never ends in a report it cannot
 * write: the path must not be a directory, its folder must exist or be creatable, and be writable; and a report
 * overwrites neither another report of the same run nor anything the run reads (its vector files, its waivers, a file
 * named in its backend command, a shard report being merged).
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { notReplaceableProblem } from '../vectors/atomic_write.js';

/** Null when a report can be written at `path`, else why not. */
export function reportDestinationProblem(path: string): string | null {
  const abs = resolve(path);
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) return `${path} is a directory`;
    const special = notReplaceableProblem(abs);
    if (special) return `${path}: ${special}`;
    try {
      accessSync(abs, constants.W_OK);
    } catch {
      return `${path} is not writable`;
    }
  }
  // the nearest existing ancestor must be a writable directory (writeFileAtomic creates the rest)
  let dir = dirname(abs);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) return `${path} cannot be created: ${dir} is not a directory`;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `${path} cannot be created: ${dir} is not writable`;
  }
  return null;
}

/** A report flag and the path given to it (absent: not asked for). */
export type Destination = readonly [flag: string, path: string | undefined];

/** Something a run or a merge reads: what it is (for the message) and its path, a file or a directory. */
export interface ReadPath {
  readonly what: string;
  readonly path: string;
}

/** The path as the file system names it: symbolic links resolved where the path (or its folder) exists. */
function canonical(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const dir = dirname(abs);
  return existsSync(dir) ? resolve(realpathSync(dir), relative(dir, abs)) : abs;
}

/** Whether `path` is `input` or lies inside it (an input directory). */
function within(path: string, input: string): boolean {
  return path === input || path.startsWith(input.endsWith(sep) ? input : input + sep);
}

/**
 * Null when every given destination can be written without overwriting another destination or an input, else the
 * first problem, `<flag>: <why>`.
 */
export function destinationsProblem(destinations: readonly Destination[], inputs: readonly ReadPath[]): string | null {
  const given = destinations.filter((d): d is readonly [string, string] => d[1] !== undefined);
  const readPaths = inputs.map((i) => ({ what: i.what, path: canonical(i.path) }));
  const taken = new Map<string, string>();
  for (const [flag, path] of given) {
    const problem = reportDestinationProblem(path);
    if (problem) return `${flag}: cannot write the report: ${problem}`;
    const target = canonical(path);
    const other = taken.get(target);
    if (other !== undefined) return `${flag}: ${path} is also the ${other} destination: each report needs its own file`;
    taken.set(target, flag);
    const read = readPaths.find((i) => within(target, i.path));
    if (read) return `${flag}: ${path} would overwrite ${read.what === 'vectors' && read.path !== target ? 'a file in ' : ''}the ${read.what} (${read.path}) this run reads`;
  }
  return null;
}
