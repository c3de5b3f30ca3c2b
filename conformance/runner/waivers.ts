/**
 * Expected failures, by exact case id, each with a reason. A waiver file has one waiver a line:
 * `<case id> <reason>`; `#` starts a comment. A waived case that fails is `waived`; one that passes
 * is a `stale-waiver` and fails the run, so waivers are removed as soon as the backend is fixed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { VectorFileError } from '../vectors/vector_set.js';

export type Waivers = ReadonlyMap<string, string>;

export const NO_WAIVERS: Waivers = new Map();

export function parseWaivers(text: string, location: string): Waivers {
  const waivers = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const match = /^(\S+)\s+(.+)$/.exec(line);
    if (!match) throw new VectorFileError(`${location}:${i + 1}`, 'waiver', 'a waiver is "<case id> <reason>": the reason is required');
    const [, id, reason] = match as unknown as [string, string, string];
    if (waivers.has(id)) throw new VectorFileError(`${location}:${i + 1}`, 'waiver', `case ${id} is waived twice`);
    waivers.set(id, reason);
  });
  return waivers;
}

/** The waivers in `path`, or none when the file does not exist and `required` is false. */
export function readWaivers(path: string, required: boolean): Waivers {
  if (!existsSync(path)) {
    if (required) throw new VectorFileError(path, 'missing', 'waiver file not found');
    return NO_WAIVERS;
  }
  return parseWaivers(readFileSync(path, 'utf8'), path);
}
