/**
 * What the `qconform explain` tests share: a temporary folder for one test file's models and inputs with the writers
 * of JSON and .npy inputs, and the check that explain refused with exit 2 and one error line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';

export interface ExplainFiles {
  /** writes `bytes` to the folder and returns the path */
  file(name: string, bytes: Uint8Array | string): string;
  /** a JSON input file of `shape` holding `data` */
  jsonInput(name: string, shape: readonly number[], data: readonly number[]): string;
  /** a .npy (format 1) of dtype `descr` ('|u1', '|i1', '<f4') and `shape` holding `data` */
  npy(name: string, descr: string, shape: readonly number[], data: Uint8Array): string;
}

/** A fresh temporary folder named from `prefix`, and its writers. */
export function explainFiles(prefix: string): ExplainFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const npy = (name: string, descr: string, shape: readonly number[], data: Uint8Array) => {
    let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
    header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
    const head = new Uint8Array(10 + header.length);
    head.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 255, header.length >> 8]);
    head.set(new TextEncoder().encode(header), 10);
    return file(name, new Uint8Array([...head, ...data]));
  };
  return { file, jsonInput: (name, shape, data) => file(name, JSON.stringify({ shape, data })), npy };
}

/**
 * explainCommand's exit 2 and its one error line, taken out of `err` (the captured console.error lines): a throw, a
 * second line or a stack trace fails the test.
 */
export function explainError(err: string[], model: string, extra: { input?: string; shape?: string }): string {
  let code: number;
  try {
    code = explainCommand(model, { seed: '1', ...extra });
  } catch (e) {
    throw new Error(`explain threw instead of exiting 2: ${(e as Error).stack}`);
  }
  expect(code).toBe(2);
  expect(err).toHaveLength(1);
  expect(err[0]).not.toMatch(/\n\s+at /);
  return err.pop()!;
}
