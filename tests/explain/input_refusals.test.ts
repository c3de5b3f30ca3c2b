/**
 * Inputs `qconform explain` cannot run are refused with one typed message and exit 2 (never a stack trace, never
 * silently replaced): a generated input beyond MAX_TENSOR_ELEMENTS (the model's declared shape or --shape).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';

let err: string[];

beforeEach(() => {
  err = [];
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation((s: unknown) => void err.push(String(s)));
});
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'qconform-input-'));

/** Writes `bytes` to a file of the test's directory and returns its path. */
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** explainCommand's exit code and its one error line (a second line, or a stack, fails the test). */
function explainError(model: string, extra: { input?: string; shape?: string }): string {
  let code: number;
  try {
    code = explainCommand(model, { seed: '1', ...extra });
  } catch (e) {
    throw new Error(`explain threw instead of exiting 2: ${(e as Error).stack}`);
  }
  expect(code).toBe(2);
  expect(err).toHaveLength(1);
  expect(err[0]).not.toMatch(/\n\s+at /);
  return err[0]!;
}

describe('qconform explain: input sizes', () => {
  it('a declared input shape of 3e10 elements is refused, naming the limit', () => {
    const parts = qdqParts();
    parts.inputDims = [1, 3, 100000, 100000];
    const model = file('huge_dims.onnx', qdqModel(parts));
    expect(explainError(model, {})).toBe(
      'error: generated input: shape [1, 3, 100000, 100000] has 30000000000 elements; explain runs inputs of at most 4194304 (MAX_TENSOR_ELEMENTS, contract/limits.ts): pass a smaller --shape N,C,H,W, or --input FILE',
    );
  });

  it('--shape 4096,4096,4096,4096 (each dimension within its bound) is refused by its total', () => {
    expect(explainError(file('base.onnx', qdqModel()), { shape: '4096,4096,4096,4096' })).toMatch(/^error: generated input: shape \[4096, 4096, 4096, 4096\] has 281474976710656 elements; explain runs inputs of at most 4194304/);
  });

  it('an input file beyond the limit is refused after reading', () => {
    const big = file('big.json', JSON.stringify({ shape: [1, 1, 2049, 2049], data: new Array(2049 * 2049).fill(0) }));
    expect(explainError(file('base.onnx', qdqModel()), { input: big })).toMatch(/big\.json: shape \[1, 1, 2049, 2049\] has 4198401 elements; explain runs inputs of at most 4194304/);
  });
});
