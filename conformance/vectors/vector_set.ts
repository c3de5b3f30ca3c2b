/**
 * Golden vector sets on disk: a directory with manifest.json and one .jsonl file per op and semantics
 * version. Reading verifies the manifest schema, each file's sha256 and case count, and each line's
 * JSON and schema; every refusal names file:line and the rule broken.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import type { WireRequest, WireOutputs } from '../protocol/messages.js';

export interface VectorCase extends WireRequest {
  attrs: Record<string, unknown>;
  inputs: Record<string, unknown>;
  expect: { outputs: WireOutputs } | { error: { code: string; oracle_message?: string; oracle_outputs?: WireOutputs; deviation?: string } };
}

export interface ManifestFile {
  path: string;
  op: string;
  cases: number;
  sha256: string;
}

export interface Manifest {
  format: 'qconform-vectors/1';
  generator_version: number;
  seed: string;
  oracle: string;
  provenance: Record<string, unknown>;
  files: ManifestFile[];
}

export interface LoadedFile {
  file: ManifestFile;
  cases: VectorCase[];
}

export class VectorFileError extends Error {
  override readonly name = 'VectorFileError';
  constructor(
    readonly location: string,
    readonly rule: string,
    detail: string,
  ) {
    super(`${location}: ${rule}: ${detail}`);
  }
}

const here = dirname(fileURLToPath(import.meta.url));
export const VECTORS_ROOT = resolve(here, '../../vectors');
export const TORCH_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13');
/** QLinearConv vectors from onnxruntime-node (scripts/vectors/ort_cli.ts). */
export const ORT_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30');
/** The same QLinearConv requests through ORT on an AVX2 CPU without VNNI (qemu -cpu Haswell), each with its route's accumulator. */
export const ORT_HASWELL_VECTORS_DIR = join(VECTORS_ROOT, 'onnxruntime-1.30-haswell');
/** torch 1.13 onednn convs on an AVX2 CPU without VNNI (qemu -cpu Haswell). */
export const TORCH_ONEDNN_HASWELL_VECTORS_DIR = join(VECTORS_ROOT, 'torch-1.13-onednn-haswell');
/** Convolutions from XNNPACK (Debian libxnnpack-dev, 2022-02-16 snapshot) and requantizations from gemmlowp (scripts/vectors/native_cli.ts). */
export const XNNPACK_VECTORS_DIR = join(VECTORS_ROOT, 'xnnpack-2022');
/** XNNPACK's arm64 NEON kernels (Debian's arm64 libxnnpack under qemu-aarch64-static). */
export const XNNPACK_ARM64_VECTORS_DIR = join(VECTORS_ROOT, 'xnnpack-2022-arm64');
export const GEMMLOWP_VECTORS_DIR = join(VECTORS_ROOT, 'gemmlowp');

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (o: object) => import('ajv').default)({ allErrors: false, strict: false });
const validateCase = ajv.compile(JSON.parse(readFileSync(join(VECTORS_ROOT, 'schema/case.schema.json'), 'utf8')));
const validateManifest = ajv.compile(JSON.parse(readFileSync(join(VECTORS_ROOT, 'schema/manifest.schema.json'), 'utf8')));

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The canonical text of a case file: one JSON object per line, keys in insertion order, trailing newline. */
export function serializeCases(cases: readonly VectorCase[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
}

export function parseCases(text: string, location: string): VectorCase[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const where = `${location}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new VectorFileError(where, 'json', `line is not valid JSON (${(e as Error).message})`);
    }
    if (!validateCase(value)) {
      const err = validateCase.errors?.[0];
      throw new VectorFileError(where, 'schema', `${err?.instancePath || '/'} ${err?.message ?? 'does not match case.schema.json'}`);
    }
    const c = value as VectorCase;
    if (seen.has(c.id)) throw new VectorFileError(where, 'unique-id', `case id ${c.id} appears twice`);
    seen.add(c.id);
    checkTensorShapes(c.inputs, `${where} inputs`);
    if ('outputs' in c.expect) checkTensorShapes(c.expect.outputs, `${where} expect.outputs`);
    return c;
  });
}

/** A tensor's element count must equal the product of its shape (a rule JSON Schema cannot express). */
function checkTensorShapes(tensors: Record<string, unknown>, where: string): void {
  const check = (t: unknown, name: string): void => {
    if (typeof t !== 'object' || t === null) return;
    const x = t as { shape?: number[]; hex?: unknown[]; values?: unknown[] };
    const n = (x.shape ?? []).reduce((a, b) => a * b, 1);
    const got = (x.hex ?? x.values ?? []).length;
    if (x.shape && got !== n) throw new VectorFileError(where, 'shape', `${name} has ${got} elements for shape [${x.shape}] (expected ${n})`);
  };
  for (const [name, t] of Object.entries(tensors)) {
    if (Array.isArray(t)) t.forEach((u, i) => check(u, `${name}[${i}]`));
    else check(t, name);
  }
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new VectorFileError(path, 'missing', 'no manifest.json in the vector directory');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new VectorFileError(`${path}:1`, 'json', (e as Error).message);
  }
  if (!validateManifest(value)) {
    const err = validateManifest.errors?.[0];
    throw new VectorFileError(path, 'schema', `${err?.instancePath || '/'} ${err?.message ?? 'does not match manifest.schema.json'}`);
  }
  return value as Manifest;
}

/** Read and verify a whole vector set (hashes, counts, schema, shapes). */
export function readVectorSet(dir: string): { manifest: Manifest; files: LoadedFile[] } {
  const manifest = readManifest(dir);
  const files = manifest.files.map((file) => {
    const path = join(dir, file.path);
    if (!existsSync(path)) throw new VectorFileError(path, 'missing', 'listed in manifest.json but absent');
    const bytes = readFileSync(path);
    const digest = sha256(bytes);
    if (digest !== file.sha256) throw new VectorFileError(path, 'sha256', `manifest says ${file.sha256}, file hashes to ${digest} (edited or corrupted)`);
    const cases = parseCases(bytes.toString('utf8'), path);
    if (cases.length !== file.cases) throw new VectorFileError(path, 'count', `manifest says ${file.cases} cases, file has ${cases.length}`);
    cases.forEach((c, i) => {
      if (c.op !== file.op) throw new VectorFileError(`${path}:${i + 1}`, 'op', `case op ${c.op} differs from the file's ${file.op}`);
    });
    return { file, cases };
  });
  return { manifest, files };
}

/** Write a file atomically: a temporary sibling, then rename, so readers never see half a file. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
