/**
 * `--report` and `--junit` are checked before a run starts, so a run never ends in a report it cannot
 * write: the path must not be a directory, its folder must exist or be creatable, and be writable.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Null when a report can be written at `path`, else why not. */
export function reportDestinationProblem(path: string): string | null {
  const abs = resolve(path);
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) return `${path} is a directory`;
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
