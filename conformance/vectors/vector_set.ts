/**
 * Golden vector sets on disk: a directory with manifest.json and one .jsonl file per op and semantics
 * version. Loading validates the whole set before any case is run: the manifest (schema, no entry
 * twice, no .jsonl file in the directory it does not list), each file (regular file, sha256 over all its
 * bytes, case count, line length), each case (JSON, schema, the file's op, an id used once in the whole
 * set, and the contract checks of case_validation.ts). Files are streamed line by line, so memory is
 * bounded by the longest line, not by the set. Every refusal is a VectorFileError naming file:line (or
 * the file) and the rule broken; docs/vectors.md lists the rules.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { parseCaseLine } from './case_validation.js';
import { VectorFileError } from './vector_file_error.js';
import { type FileLine, MAX_MANIFEST_BYTES, type ReadLimits, forEachLine, hashFile, pathKind, readSmallFile } from './vector_lines.js';
import { type Manifest, type ManifestFile, VECTORS_ROOT, type VectorCase } from './vector_types.js';
import { byteOrderMarkNote } from '../protocol/byte_order_mark.js';

export { VectorFileError } from './vector_file_error.js';
export { MAX_LINE_BYTES, type ReadLimits } from './vector_lines.js';
export * from './vector_types.js';

export interface LoadedFile {
  file: ManifestFile;
  cases: VectorCase[];
}

/** Where a case lies: its file (absolute path), 1-based line, the byte range of the line, and the digest of its bytes (lineDigest). */
export interface CaseLocation {
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Size and modification time of a validated file, to notice that it changed before a case is re-read. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (o: object) => import('ajv').default)({ allErrors: false, strict: false });
const validateManifest = ajv.compile(JSON.parse(readFileSync(join(VECTORS_ROOT, 'schema/manifest.schema.json'), 'utf8')));

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The canonical text of a case file: one JSON object per line, keys in insertion order, trailing newline. */
export function serializeCases(cases: readonly VectorCase[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
}

/** Ids already used in a set (or file), and where: a second use is refused. */
class IdRegistry {
  private readonly seen = new Map<string, string>();
  add(id: string, where: string): void {
    const first = this.seen.get(id);
    if (first !== undefined) throw new VectorFileError(where, 'duplicate-id', `case id ${id} is already used at ${first}`);
    this.seen.set(id, where);
  }
}

/** Cases from the text of a .jsonl file, each checked completely (used for text that is not on disk, e.g. fuzz findings). */
export function parseCases(text: string, location: string): VectorCase[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const ids = new IdRegistry();
  return lines.map((line, i) => {
    const where = `${location}:${i + 1}`;
    const c = parseCaseLine(line, where);
    ids.add(c.id, where);
    return c;
  });
}

/** The 1-based line of manifest.json where the `occurrence`-th (0-based) JSON string `needle` appears, if it does. */
function manifestLine(text: string, needle: string, occurrence: number): number | null {
  let at = -1;
  for (let k = 0; k <= occurrence; k++) {
    at = text.indexOf(JSON.stringify(needle), at + 1);
    if (at < 0) return null;
  }
  return text.slice(0, at).split('\n').length;
}

/** Read and check manifest.json: regular file, size, JSON, schema, and no file listed twice. Also returns the sha256 of its bytes. */
export function readManifestChecked(dir: string): { manifest: Manifest; sha256: string } {
  const path = join(dir, 'manifest.json');
  if (pathKind(dir) !== 'directory') throw new VectorFileError(dir, 'not-a-directory', 'a vector set is a directory holding manifest.json');
  if (!existsSync(path)) throw new VectorFileError(path, 'missing', 'no manifest.json in the vector directory');
  const bytes = readSmallFile(path, MAX_MANIFEST_BYTES);
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new VectorFileError(`${path}:1`, 'json', `${(e as Error).message}${byteOrderMarkNote(text)}`);
  }
  if (!validateManifest(value)) {
    const err = validateManifest.errors?.[0];
    throw new VectorFileError(path, 'schema', `${err?.instancePath || '/'} ${err?.message ?? 'does not match manifest.schema.json'}`);
  }
  const manifest = value as Manifest;
  const seen = new Set<string>();
  for (const f of manifest.files) {
    if (seen.has(f.path)) {
      const line = manifestLine(text, f.path, 1);
      throw new VectorFileError(line ? `${path}:${line}` : path, 'duplicate-entry', `${f.path} is listed twice in files (its cases would be run and counted twice)`);
    }
    seen.add(f.path);
  }
  return { manifest, sha256: sha256(bytes) };
}

export function readManifest(dir: string): Manifest {
  return readManifestChecked(dir).manifest;
}

function checkNoUnlistedFiles(dir: string, manifest: Manifest): void {
  const listed = new Set(manifest.files.map((f) => f.path));
  const unlisted = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl') && !listed.has(name))
    .sort();
  if (unlisted.length) {
    throw new VectorFileError(join(dir, unlisted[0]!), 'unlisted-file', `not listed in manifest.json; a vector directory holds only the files its manifest hashes${unlisted.length > 1 ? ` (${unlisted.length} such files)` : ''}`);
  }
}

/**
 * Stream one case file, checking every line and its id, and calling `onCase` for each valid case.
 * `expectedOp` (from the manifest) is the op every case must have. Returns the sha256 of the file's
 * bytes and its number of cases. When a line is refused, the whole file is hashed first: if the hash
 * differs from `expectedSha256`, the refusal is the sha256 mismatch (the file was edited or corrupted).
 */
function scanCaseFile(
  path: string,
  ids: IdRegistry,
  onCase: (c: VectorCase, at: CaseLocation) => void,
  limits: ReadLimits,
  manifestEntry?: ManifestFile,
): { sha256: string; cases: number } {
  const onLine = (l: FileLine) => {
    const where = `${path}:${l.line}`;
    const c = parseCaseLine(l.text, where, manifestEntry?.op);
    ids.add(c.id, where);
    onCase(c, { file: path, line: l.line, offset: l.offset, bytes: l.bytes, sha256: l.sha256 });
  };
  try {
    const r = forEachLine(path, onLine, limits);
    return { sha256: r.sha256, cases: r.lines };
  } catch (e) {
    if (manifestEntry && e instanceof VectorFileError && e.location.startsWith(`${path}:`)) {
      const digest = hashFile(path);
      if (digest !== manifestEntry.sha256) throw shaMismatch(path, manifestEntry.sha256, digest, e);
    }
    throw e;
  }
}

function shaMismatch(path: string, want: string, got: string, lineError?: VectorFileError): VectorFileError {
  const first = lineError ? `; first refused line: ${lineError.message}` : '';
  return new VectorFileError(path, 'sha256', `manifest says ${want}, file hashes to ${got} (edited or corrupted)${first}`);
}

export interface ScannedSet {
  manifest: Manifest;
  /** sha256 of manifest.json's bytes: names the exact vector set a report was made against. */
  manifestSha256: string;
  /** absolute path -> stamp of every case file, as validated */
  stamps: Map<string, FileStamp>;
}

/**
 * Validate a whole vector set, streaming, and hand every case to `onCase` with its file entry and
 * location. Nothing is kept but what `onCase` keeps. Throws the first VectorFileError found.
 */
export function scanVectorSet(dir: string, onCase: (c: VectorCase, at: CaseLocation, file: ManifestFile) => void, limits: ReadLimits = {}): ScannedSet {
  const { manifest, sha256: manifestSha256 } = readManifestChecked(dir);
  checkNoUnlistedFiles(dir, manifest);
  const ids = new IdRegistry();
  const stamps = new Map<string, FileStamp>();
  for (const file of manifest.files) {
    const path = join(dir, file.path);
    if (!existsSync(path)) throw new VectorFileError(path, 'missing', 'listed in manifest.json but absent');
    const r = scanCaseFile(path, ids, (c, at) => onCase(c, at, file), limits, file);
    if (r.sha256 !== file.sha256) throw shaMismatch(path, file.sha256, r.sha256);
    if (r.cases !== file.cases) throw new VectorFileError(path, 'count', `manifest says ${file.cases} cases, file has ${r.cases}`);
    const s = statSync(path);
    stamps.set(path, { size: s.size, mtimeMs: s.mtimeMs });
  }
  return { manifest, manifestSha256, stamps };
}

/** Validate a lone .jsonl file (no manifest in its directory): lines, cases and ids, without a hash to compare. */
export function scanLooseCaseFile(path: string, onCase: (c: VectorCase, at: CaseLocation) => void, limits: ReadLimits = {}): FileStamp {
  if (pathKind(path) !== 'file') throw new VectorFileError(path, 'not-a-file', 'expected a .jsonl file');
  scanCaseFile(path, new IdRegistry(), onCase, limits);
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/** Read and validate a whole vector set, keeping every case in memory (tests and `vectors check`; the runner streams). */
export function readVectorSet(dir: string, limits: ReadLimits = {}): { manifest: Manifest; files: LoadedFile[] } {
  const byPath = new Map<string, VectorCase[]>();
  const { manifest } = scanVectorSet(
    dir,
    (c, _at, file) => {
      const list = byPath.get(file.path) ?? [];
      list.push(c);
      byPath.set(file.path, list);
    },
    limits,
  );
  return { manifest, files: manifest.files.map((file) => ({ file, cases: byPath.get(file.path) ?? [] })) };
}
