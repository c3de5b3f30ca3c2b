/**
 * Which golden cases a run executes: a vector directory (validated completely: vector_set.ts) or a
 * single .jsonl file (validated with its whole set when its directory has a manifest, alone otherwise),
 * narrowed by op, scheme and id (a value of these that selects nothing is refused: selection_filter.ts). Loading streams the files and keeps, per case, only what selection
 * needs (id, op, scheme, where its line lies); a case is read again from its file when the run reaches
 * it, so memory follows the largest case, not the size of the set. Several sources (a built-in's default sets,
 * or `--vectors` given more than once) are selected in order, each case naming its set; a case id may appear
 * in only one of them, so waivers, `--case` and shards stay unambiguous.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type CaseLocation, type FileStamp, type Manifest, type VectorCase, VectorFileError, scanLooseCaseFile, scanVectorSet } from '../vectors/vector_set.js';
import { lineDigest, pathKind, readRange } from '../vectors/vector_lines.js';
import { schemeOf } from './scheme.js';
import { opSelectedBy, refuseUnmatched, unmatchedValues } from './selection_filter.js';

export interface SelectedCase {
  readonly case: VectorCase;
  readonly scheme: string;
  /** The vector set the case comes from: its directory's name (a loose .jsonl file's name). */
  readonly set?: string;
  /** The case's file and 1-based line, for replay lines. */
  readonly file: string;
  readonly line: number;
}

/** One source of a selection: a vector directory, or one .jsonl file. */
export interface SelectedSet {
  /** the set's name, as each of its cases' `set` */
  readonly name: string;
  readonly source: string;
  readonly manifest: Manifest | null;
  /** sha256 of manifest.json's bytes: names the exact vector set a report was made against. */
  readonly manifestSha256: string | null;
}

export interface VectorSelection {
  /** The source; for several sets, their sources joined by ", " (and no single manifest). */
  readonly source: string;
  readonly manifest: Manifest | null;
  /** sha256 of manifest.json's bytes: names the exact vector set a report was made against (null for several sets: see `sets`). */
  readonly manifestSha256: string | null;
  /** Every source, in order (one for a single set). */
  readonly sets: readonly SelectedSet[];
  readonly cases: SelectedCase[];
  /** Every case id of the loaded sets, selected or not (a waiver naming none of them is reported: waivers.ts unmatchedWaivers). */
  readonly ids: ReadonlySet<string>;
}

export interface CaseFilter {
  readonly ops?: readonly string[];
  readonly schemes?: readonly string[];
  readonly ids?: readonly string[];
}

/** The most recently re-read case: a run reads each case's fields several times in a row. */
let lastRead: { key: string; value: VectorCase } | null = null;

/**
 * A validated case, re-read from its file when its content is needed: the file's size and mtime must not have changed,
 * and the line's bytes must be those validated (their digest, recorded when the file was read and hashed for its
 * manifest check: vector_lines.ts lineDigest). A line edited in place, size and mtime kept, is "changed during the run"
 * (the case's verdict is `error`, naming the vector file: run_case.ts), never judged against the backend. Before, only
 * size, mtime and id were checked, and an edited expectation was judged and its difference blamed on the backend.
 */
class StoredCase implements SelectedCase {
  constructor(
    readonly id: string,
    readonly op: string,
    readonly scheme: string,
    readonly set: string,
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
      throw new VectorFileError(where, 'changed', 'the vector file changed during the run (its size or modification time is not the one validated); run again');
    }
    const bytes = readRange(this.at.file, this.at.offset, this.at.bytes);
    if (lineDigest([bytes]) !== this.at.sha256) {
      throw new VectorFileError(where, 'changed', `the vector file changed during the run: line ${this.at.line} is not the line validated when the run began (size and modification time unchanged); run again`);
    }
    const value = JSON.parse(bytes.toString('utf8')) as VectorCase;
    if (value.id !== this.id) throw new VectorFileError(where, 'changed', `case ${this.id} is no longer on this line; run again`);
    lastRead = { key, value };
    return value;
  }
}

/**
 * A selected case's id and op without reading its line again: a case loaded from a vector file keeps them from
 * selection, so a file changed during the run still names the case whose verdict is `error`. Other selected cases
 * (the fuzzer's, a test's) hold their case in memory.
 */
export function identityOf(s: SelectedCase): { readonly id: string; readonly op: string } {
  return s instanceof StoredCase ? { id: s.id, op: s.op } : { id: s.case.id, op: s.case.op };
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
  const hasManifest = isDir || existsSync(join(dir, 'manifest.json'));
  const set = basename(hasManifest ? dir : path);
  const intern = interner();
  const cases: SelectedCase[] = [];
  const stamps = new Map<string, FileStamp>();
  const pending: Array<{ id: string; op: string; scheme: string; at: CaseLocation }> = [];
  const ids = new Set<string>();
  const note = (c: VectorCase, at: CaseLocation) => {
    ids.add(c.id);
    const scheme = intern(schemeOf(c));
    const op = intern(c.op);
    if ((isDir || at.file === path) && keep(c.id, op, scheme)) pending.push({ id: c.id, op, scheme, at });
  };
  if (hasManifest) {
    const scanned = scanVectorSet(dir, (c, at) => note(c, at));
    if (!isDir && !scanned.manifest.files.some((f) => f.path === basename(path))) {
      throw new VectorFileError(path, 'unlisted-file', 'not listed in its directory\'s manifest.json');
    }
    for (const [p, s] of scanned.stamps) stamps.set(p, s);
    for (const p of pending) cases.push(new StoredCase(p.id, p.op, p.scheme, set, p.at, stamps.get(p.at.file)!));
    const only: SelectedSet = { name: set, source: path, manifest: scanned.manifest, manifestSha256: scanned.manifestSha256 };
    return { source: path, manifest: scanned.manifest, manifestSha256: scanned.manifestSha256, sets: [only], cases, ids };
  }
  const stamp = scanLooseCaseFile(path, note);
  for (const p of pending) cases.push(new StoredCase(p.id, p.op, p.scheme, set, p.at, stamp));
  return { source: path, manifest: null, manifestSha256: null, sets: [{ name: set, source: path, manifest: null, manifestSha256: null }], cases, ids };
}

/** Several selections as one, in order; refused when a case id is in two of them. */
function joinSelections(parts: readonly VectorSelection[]): VectorSelection {
  if (parts.length === 1) return parts[0]!;
  const owner = new Map<string, SelectedCase>();
  for (const part of parts) {
    for (const s of part.cases) {
      const other = owner.get(s.case.id);
      if (other) throw new VectorFileError(`${s.file}:${s.line}`, 'duplicate-id', `case ${s.case.id} is also in ${other.file}:${other.line}; select one of the two sets`);
      owner.set(s.case.id, s);
    }
  }
  const sets = parts.flatMap((p) => p.sets);
  const ids = new Set(parts.flatMap((p) => [...p.ids]));
  return { source: sets.map((s) => s.source).join(', '), manifest: null, manifestSha256: null, sets, cases: parts.flatMap((p) => p.cases), ids };
}

/** Every case id of one source (a vector directory or a .jsonl file), validated as selectCases validates it. */
export function caseIdsOf(source: string): ReadonlySet<string> {
  return loadAll(source, () => false).ids;
}

/**
 * The cases of one source (a vector directory or a .jsonl file), or of several in order, that pass the filter. A filter
 * value that selects no case of the sources by itself (an --op, --scheme or --case value no case has) is refused:
 * UnmatchedSelection (selection_filter.ts), naming each such value and the name it most obviously meant.
 */
export function selectCases(source: string | readonly string[], filter: CaseFilter = {}): VectorSelection {
  // the ops, schemes and (when --case is given) ids of every case the filter could select
  const seen = { ops: new Set<string>(), schemes: new Set<string>(), ids: new Set<string>() };
  const ids = filter.ids?.length ? new Set(filter.ids) : null;
  const keep = (id: string, op: string, scheme: string) => {
    seen.ops.add(op);
    seen.schemes.add(scheme);
    if (ids) seen.ids.add(id);
    return (
      (!filter.ops?.length || filter.ops.some((o) => opSelectedBy(op, o))) &&
      (!filter.schemes?.length || filter.schemes.includes(scheme)) &&
      (!ids || ids.has(id))
    );
  };
  const sources = typeof source === 'string' ? [source] : source;
  if (sources.length === 0) throw new VectorFileError('--vectors', 'missing', 'no vector set given');
  const selection = joinSelections(sources.map((s) => loadAll(s, keep)));
  const unmatched = [...unmatchedValues('--op', filter.ops, seen.ops), ...unmatchedValues('--scheme', filter.schemes, seen.schemes), ...unmatchedValues('--case', filter.ids, seen.ids)];
  refuseUnmatched(unmatched, `case of the vector sets loaded (${selection.source})`);
  return selection;
}
