/**
 * Turning judged cases into a vector set on disk, shared by every oracle's writer (torch, ONNX Runtime):
 * canonical file texts with their sha256 entries, then either an atomic write of the whole set or a
 * byte-for-byte comparison with the committed files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic_write.js';
import { type Manifest, type VectorCase, serializeCases, sha256 } from './vector_set.js';
import { vectorFileStem } from '../cases/catalog.js';

export interface BuiltVectorSet {
  manifest: Manifest;
  /** file name -> canonical file text */
  texts: Map<string, string>;
}

/** A vector set's file texts (file name -> canonical text) and the manifest entries that hash them. */
export interface VectorFiles {
  readonly texts: Map<string, string>;
  readonly files: Manifest['files'];
}

/** One file per op (`<op>.v<version>.jsonl`), with the manifest entries that hash them. */
export function assembleVectorFiles(groups: ReadonlyArray<{ op: string; cases: VectorCase[] }>): VectorFiles {
  const texts = new Map<string, string>();
  const files: Manifest['files'] = [];
  for (const { op, cases } of groups) {
    const path = `${vectorFileStem(op)}.jsonl`;
    const text = serializeCases(cases);
    texts.set(path, text);
    files.push({ path, op, cases: cases.length, sha256: sha256(text) });
  }
  return { texts, files };
}

/** The committed files that differ from the regenerated texts (a missing file differs). */
export function differingFiles(dir: string, texts: ReadonlyMap<string, string>): string[] {
  return [...texts].filter(([name, text]) => {
    try {
      return readFileSync(join(dir, name), 'utf8') !== text;
    } catch {
      return true;
    }
  }).map(([name]) => name);
}

/** Write the set atomically (`write`), or compare it with `dir`; returns an exit code and logs one line. */
export function writeOrCompareVectorSet(dir: string, built: BuiltVectorSet, write: boolean, log: (s: string) => void): number {
  if (write) {
    for (const [name, text] of built.texts) writeFileAtomic(join(dir, name), text);
    writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(built.manifest, null, 2)}\n`);
    log(`wrote ${built.texts.size} file(s) and manifest.json to ${dir}`);
    return 0;
  }
  const differing = differingFiles(dir, built.texts);
  log(differing.length === 0 ? `regenerated vectors are byte-identical to the committed ones in ${dir}` : `differ: ${differing.join(', ')}`);
  return differing.length === 0 ? 0 : 1;
}
