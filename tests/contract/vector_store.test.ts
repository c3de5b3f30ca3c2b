/**
 * readVectorSet refuses a tampered copy of the golden vectors with a VectorFileError naming the
 * file (and line, for line-level rules) and the rule broken. Line-level tampering recomputes the
 * file's sha256 in the manifest, since the hash is checked before any line is parsed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readVectorSet } from '../../conformance/vectors/vector_set.js';
import { copyVectorSet, editCase, editCaseLines, editManifest, expectVectorFileError, removeVectorSet } from '../support/vector_set_tampering.js';

const FILE = 'quantize_per_tensor.v1.jsonl';

describe('readVectorSet on a tampered copy of vectors/torch-1.13', () => {
  let dir: string;
  const at = (line?: number) => join(dir, FILE) + (line === undefined ? '' : `:${line}`);
  beforeEach(() => {
    dir = copyVectorSet();
  });
  afterEach(() => removeVectorSet(dir));

  it('loads the untouched copy', () => {
    const { manifest, files } = readVectorSet(dir);
    expect(files.map((f) => f.file.path)).toEqual(manifest.files.map((f) => f.path));
    for (const { file, cases } of files) expect(cases, file.path).toHaveLength(file.cases);
  });

  it('json: a line that is not JSON, at its line number', () => {
    editCaseLines(dir, FILE, (lines) => void (lines[2] = '{"id": "quantize_per_tensor-00002",'), { rehash: true });
    expectVectorFileError(() => readVectorSet(dir), 'json', at(3));
  });

  it('schema: a float32 hex string of 7 digits', () => {
    editCase(dir, FILE, 5, (c) => void (c.inputs.x.hex[0] = '3f80000'));
    const error = expectVectorFileError(() => readVectorSet(dir), 'schema', at(5));
    expect(error.message).toContain('/inputs/x');
  });

  it('request: a tensor whose element count does not match its shape (the wire decoder refuses it)', () => {
    editCase(dir, FILE, 7, (c) => void c.inputs.x.shape.push(2));
    const error = expectVectorFileError(() => readVectorSet(dir), 'request', at(7));
    expect(error.message).toMatch(/inputs\.x\.hex.*expected \d+ elements for shape \[\d+,2\]/);
  });

  it('duplicate-id: a case id used twice', () => {
    editCase(dir, FILE, 4, (c) => void (c.id = 'quantize_per_tensor-00000'));
    const error = expectVectorFileError(() => readVectorSet(dir), 'duplicate-id', at(4));
    expect(error.message).toContain('quantize_per_tensor-00000');
  });

  it('op: a case of another op in the file', () => {
    editCase(dir, FILE, 2, (c) => void (c.op = 'dequantize_per_tensor@1'));
    expectVectorFileError(() => readVectorSet(dir), 'op', at(2));
  });

  it('sha256: one changed byte with the manifest hash left alone', () => {
    editCaseLines(dir, FILE, (lines) => void (lines[0] = (lines[0] as string).replace('"zero_point":1,', '"zero_point":2,')), { rehash: false });
    const error = expectVectorFileError(() => readVectorSet(dir), 'sha256', at());
    expect(error.message).toContain('edited or corrupted');
  });

  it('count: a manifest that records the wrong number of cases', () => {
    editManifest(dir, (m) => void (m.files.find((f) => f.path === FILE)!.cases += 1));
    const error = expectVectorFileError(() => readVectorSet(dir), 'count', at());
    expect(error.message).toMatch(/manifest says (\d+) cases, file has \d+/);
  });

  it('missing: a case file listed in the manifest but absent', () => {
    rmSync(join(dir, FILE));
    expectVectorFileError(() => readVectorSet(dir), 'missing', at());
  });

  it('missing: no manifest at all', () => {
    rmSync(join(dir, 'manifest.json'));
    expectVectorFileError(() => readVectorSet(dir), 'missing', join(dir, 'manifest.json'));
  });

  it('schema: a manifest entry without its sha256', () => {
    editManifest(dir, (m) => void delete (m.files[0] as Partial<(typeof m.files)[0]>).sha256);
    const error = expectVectorFileError(() => readVectorSet(dir), 'schema', join(dir, 'manifest.json'));
    expect(error.message).toContain('sha256');
  });
});
