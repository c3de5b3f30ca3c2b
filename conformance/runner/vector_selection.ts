/**
 * Which golden cases a run executes: a vector directory (manifest verified) or a single .jsonl file
 * (verified against its directory's manifest when it is listed there), narrowed by op, scheme and id.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Manifest, type VectorCase, parseCases, readManifest, readVectorSet, sha256 } from '../vectors/vector_set.js';
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

function loadAll(source: string): VectorSelection {
  const path = resolve(source);
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  const manifestPath = join(dir, 'manifest.json');
  const hasManifest = path === dir || existsSync(manifestPath);
  if (hasManifest && (path === dir || readManifest(dir).files.some((f) => f.path === basename(path)))) {
    const { manifest, files } = readVectorSet(dir);
    const chosen = path === dir ? files : files.filter((f) => f.file.path === basename(path));
    const cases = chosen.flatMap(({ file, cases }) => cases.map((c, i) => ({ case: c, scheme: schemeOf(c), file: join(dir, file.path), line: i + 1 })));
    return { source: path, manifest, manifestSha256: sha256(readFileSync(manifestPath)), cases };
  }
  const cases = parseCases(readFileSync(path, 'utf8'), path).map((c, i) => ({ case: c, scheme: schemeOf(c), file: path, line: i + 1 }));
  return { source: path, manifest: null, manifestSha256: null, cases };
}

export function selectCases(source: string, filter: CaseFilter = {}): VectorSelection {
  const all = loadAll(source);
  const keep = (s: SelectedCase) =>
    (!filter.ops?.length || filter.ops.some((op) => s.case.op === op || s.case.op.split('@')[0] === op)) &&
    (!filter.schemes?.length || filter.schemes.includes(s.scheme)) &&
    (!filter.ids?.length || filter.ids.includes(s.case.id));
  return { ...all, cases: all.cases.filter(keep) };
}
