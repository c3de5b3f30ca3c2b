/**
 * Which golden cases a run executes: a vector directory (validated completely: vector_set.ts) or a
 * single .jsonl file (validated with its whole set when its directory has a manifest, alone otherwise),
 * narrowed by op, scheme and id. Loading streams the files and keeps, per case, only what selection
 * needs (id, op, scheme, where its line lies); a case is read again from its file when the run reaches
 * it, so memory follows the largest case, not the size of the set.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type CaseLocation, type FileStamp, type Manifest, type VectorCase, VectorFileError, scanLooseCaseFile, scanVectorSet } from '../vectors/vector_set.js';
import { pathKind, readRange } from '../vectors/vector_lines.js';
import { schemeOf } from './scheme.js';

export interface SelectedCase {
  readonly case: VectorCase;
  readonly scheme: string;
  /** The case's file and 1-based line, for replay lines. */
  readonly file: string;
  readonly line: number;
}

export interface VectorSelection {
  readonly source: string;
  readonly manifest: Manifest | null;
  /** sha256 of manifest.json's bytes: names the exact vector set a report was made against. */
  readonly manifestSha256: string | null;
  readonly cases: SelectedCase[];
}

export interface CaseFilter {
  readonly ops?: readonly string[];
  readonly schemes?: readonly string[];
  readonly ids?: readonly string[];
}

/** The most recently re-read case: a run reads each case's fields several times in a row. */
let lastRead: { key: string; value: VectorCase } | null = null;

/** A validated case, re-read from its file (whose size and mtime must not have changed) when its content is needed. */
class StoredCase implements SelectedCase {
  constructor(
    readonly id: string,
    readonly op: string,
    readonly scheme: string,
    private readonly at: CaseLocation,
    private readonly stamp: FileStamp,
  ) {}
  get file(): string {
    return this.at.file;
  }
  get line(): number {
    return this.at.line;
  }
  get case(): VectorCase {
    const key = `${this.at.file}\0${this.at.offset}`;
    if (lastRead?.key === key) return lastRead.value;
    const where = `${this.at.file}:${this.at.line}`;
    const s = statSync(this.at.file, { throwIfNoEntry: false });
    if (!s || s.size !== this.stamp.size || s.mtimeMs !== this.stamp.mtimeMs) {
      throw new VectorFileError(where, 'changed', 'the file changed after it was validated; run again');
    }
    const value = JSON.parse(readRange(this.at.file, this.at.offset, this.at.bytes).toString('utf8')) as VectorCase;
    if (value.id !== this.id) throw new VectorFileError(where, 'changed', `case ${this.id} is no longer on this line; run again`);
    lastRead = { key, value };
    return value;
  }
}

/** One copy of each distinct op and scheme string, however many cases name them. */
function interner(): (s: string) => string {
  const pool = new Map<string, string>();
  return (s) => pool.get(s) ?? (pool.set(s, s), s);
}

function loadAll(source: string, keep: (id: string, op: string, scheme: string) => boolean): VectorSelection {
  const path = resolve(source);
  const isDir = pathKind(path) === 'directory';
  const dir = isDir ? path : dirname(path);
  const intern = interner();
  const cases: SelectedCase[] = [];
  const stamps = new Map<string, FileStamp>();
  const pending: Array<{ id: string; op: string; scheme: string; at: CaseLocation }> = [];
  const note = (c: VectorCase, at: CaseLocation) => {
    const scheme = intern(schemeOf(c));
    const op = intern(c.op);
    if ((isDir || at.file === path) && keep(c.id, op, scheme)) pending.push({ id: c.id, op, scheme, at });
  };
  if (isDir || existsSync(join(dir, 'manifest.json'))) {
    const scanned = scanVectorSet(dir, (c, at) => note(c, at));
    if (!isDir && !scanned.manifest.files.some((f) => f.path === basename(path))) {
      throw new VectorFileError(path, 'unlisted-file', 'not listed in its directory\'s manifest.json');
    }
    for (const [p, s] of scanned.stamps) stamps.set(p, s);
    for (const p of pending) cases.push(new StoredCase(p.id, p.op, p.scheme, p.at, stamps.get(p.at.file)!));
    return { source: path, manifest: scanned.manifest, manifestSha256: scanned.manifestSha256, cases };
  }
  const stamp = scanLooseCaseFile(path, note);
  for (const p of pending) cases.push(new StoredCase(p.id, p.op, p.scheme, p.at, stamp));
  return { source: path, manifest: null, manifestSha256: null, cases };
}

export function selectCases(source: string, filter: CaseFilter = {}): VectorSelection {
  const keep = (id: string, op: string, scheme: string) =>
    (!filter.ops?.length || filter.ops.some((o) => op === o || op.split('@')[0] === o)) &&
    (!filter.schemes?.length || filter.schemes.includes(scheme)) &&
    (!filter.ids?.length || filter.ids.includes(id));
  return loadAll(source, keep);
}
