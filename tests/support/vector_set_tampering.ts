/**
 * A private, editable copy of the golden vector set, and the edits a tamper test needs: change one
 * case file (optionally keeping the manifest's sha256 in step, so a line-level rule is what fires)
 * or change the manifest.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Manifest, TORCH_VECTORS_DIR, VectorFileError, sha256 } from '../../conformance/vectors/vector_set.js';

export function copyVectorSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qconform-vectors-'));
  cpSync(TORCH_VECTORS_DIR, dir, { recursive: true });
  return dir;
}

export function removeVectorSet(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function manifestPath(dir: string): string {
  return join(dir, 'manifest.json');
}

export function editManifest(dir: string, edit: (manifest: Manifest) => void): void {
  const manifest = JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as Manifest;
  edit(manifest);
  writeFileSync(manifestPath(dir), JSON.stringify(manifest, null, 2));
}

/** Rewrite a case file's lines; with `rehash` the manifest records the new file's sha256. */
export function editCaseLines(dir: string, file: string, edit: (lines: string[]) => void, { rehash }: { rehash: boolean }): void {
  const path = join(dir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  edit(lines);
  const text = lines.join('\n');
  writeFileSync(path, text);
  if (rehash) {
    editManifest(dir, (m) => {
      const entry = m.files.find((f) => f.path === file);
      if (!entry) throw new Error(`${file} is not in the manifest`);
      entry.sha256 = sha256(text);
    });
  }
}

/** Edit case `lineNumber` (1-based) of `file` as a parsed object, then rehash the file in the manifest. */
export function editCase(dir: string, file: string, lineNumber: number, edit: (c: Record<string, any>) => void): void {
  editCaseLines(
    dir,
    file,
    (lines) => {
      const c = JSON.parse(lines[lineNumber - 1] as string) as Record<string, any>;
      edit(c);
      lines[lineNumber - 1] = JSON.stringify(c);
    },
    { rehash: true },
  );
}

/** `run` must throw a VectorFileError for `rule` at `location`, with both in its message. */
export function expectVectorFileError(run: () => unknown, rule: string, location: string): VectorFileError {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof VectorFileError)) return expect.fail(`expected VectorFileError(${rule}) at ${location}, got ${error instanceof Error ? error.message : String(error)}`);
  expect({ rule: error.rule, location: error.location }, error.message).toEqual({ rule, location });
  expect(error.message.startsWith(`${location}: ${rule}: `), error.message).toBe(true);
  return error;
}
