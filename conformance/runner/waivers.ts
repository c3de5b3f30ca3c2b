/**
 * Expected failures, by exact case id, each with a reason. A waiver file has one waiver a line:
 * `<case id> <reason>`; `#` starts a comment. A waived case that fails is `waived`; one that passes
 * is a `stale-waiver` and fails the run, so waivers are removed as soon as the backend is fixed.
 */
import { existsSync } from 'node:fs';
import { readSmallFile } from '../vectors/vector_lines.js';
import { BYTE_ORDER_MARK } from '../protocol/byte_order_mark.js';
import { VectorFileError, sha256 } from '../vectors/vector_set.js';
import { caseIdsOf } from './vector_selection.js';

/** A waiver file is read whole: 4 MiB holds some 40,000 waivers, far more than a backend should carry. */
export const MAX_WAIVER_FILE_BYTES = 4 * 1024 * 1024;

export type Waivers = ReadonlyMap<string, string>;

export const NO_WAIVERS: Waivers = new Map();

export function parseWaivers(text: string, location: string): Waivers {
  // the mark would become part of the first waiver's id, which then waives nothing
  if (text.startsWith(BYTE_ORDER_MARK)) throw new VectorFileError(`${location}:1`, 'waiver', `the file starts with a byte-order mark (U+FEFF): write UTF-8 without one`);
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

/** A waiver file as a run read it: its path, the SHA-256 of its bytes (reports record it: run_info.ts) and its waivers. */
export interface WaiverFile {
  readonly path: string;
  readonly sha256: string;
  readonly waivers: Waivers;
}

/**
 * The waiver file at `path`, or null when it does not exist and `required` is false. Read as vector files are
 * (vector_lines.ts readSmallFile): a FIFO, a device or a directory is refused before it can block or stream, and a file
 * over MAX_WAIVER_FILE_BYTES is refused unread. The hash is of the bytes parsed.
 */
export function readWaiverFile(path: string, required: boolean): WaiverFile | null {
  if (!existsSync(path)) {
    if (required) throw new VectorFileError(path, 'missing', 'waiver file not found');
    return null;
  }
  const bytes = readSmallFile(path, MAX_WAIVER_FILE_BYTES);
  return { path, sha256: sha256(bytes), waivers: parseWaivers(bytes.toString('utf8'), path) };
}

/**
 * The waived ids that name no case of the loaded vector sets (`known`: every id of every set, before --op / --case)
 * nor of `writtenFor`, the other sets the file is written for (a built-in's sets on other CPUs; read only when an id is
 * not among the loaded ones): a misspelt id waives nothing.
 */
export function unmatchedWaivers(waivers: Waivers, known: ReadonlySet<string>, writtenFor: readonly string[] = []): string[] {
  let unmatched = [...waivers.keys()].filter((id) => !known.has(id));
  for (const set of writtenFor) {
    if (!unmatched.length) break;
    const ids = caseIdsOf(set);
    unmatched = unmatched.filter((id) => !ids.has(id));
  }
  return unmatched;
}
