/** Golden cases and deliberately faulty backends for the runner's tests. */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SubprocessBackend } from '../../conformance/backends/subprocess/subprocess_backend.js';
import { type SelectedCase, selectCases } from '../../conformance/runner/vector_selection.js';
import { TORCH_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FAULTY_BACKEND = resolve(PROJECT_ROOT, 'tests/fixtures/backends/faulty_backend.ts');

/** The first `n` golden quantize_per_tensor cases that expect outputs. */
export function quantizeCases(n: number): SelectedCase[] {
  return selectCases(TORCH_VECTORS_DIR, { ops: ['quantize_per_tensor@1'] })
    .cases.filter((s) => 'outputs' in s.case.expect)
    .slice(0, n);
}

/** The faulty fixture backend, committing `fault` on the given case ids. */
export function startFaultyBackend(fault: string, ids: readonly string[]): Promise<SubprocessBackend> {
  return SubprocessBackend.start({ command: process.execPath, args: ['--import', 'tsx', FAULTY_BACKEND, '--fault', fault, '--on', ids.join(',')] });
}

/**
 * A vector file of its own (no manifest: validated alone, so a run over it starts in well under a second) holding the first
 * `count` cases of each named file of vectors/torch-1.13 (e.g. { 'quantized_conv2d.v1.jsonl': 1 }), in that order.
 */
export function looseTorchVectors(path: string, firstCases: Readonly<Record<string, number>>): string {
  const lines = Object.entries(firstCases).flatMap(([file, count]) => readFileSync(resolve(TORCH_VECTORS_DIR, file), 'utf8').split('\n').slice(0, count));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
