/**
 * `qconform explain` reads its model and --input from regular files of bounded size only (regular_file.ts): a FIFO
 * or /dev/zero as the .onnx model, a FIFO as --input or as a .pt model (refused before python is started) is one
 * typed message and exit 2 at once. The CLI runs as a process with a timeout, so a read that blocks fails the test
 * instead of hanging the suite.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { checkRegularFile, readRegularFile } from '../../conformance/explain/regular_file.js';
import { runQconform } from '../support/cli_process.js';

const ONNX = 'examples/quantized_cnn/model.onnx';

function fifo(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('qconform explain on files that are not regular files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qconform-special-'));
  const zero = join(dir, 'zero.onnx');
  symlinkSync('/dev/zero', zero);

  it.each([
    ['a FIFO as the .onnx model', () => [fifo(dir, 'm.onnx')], /m\.onnx: the model is a FIFO; explain reads models and inputs from regular files only/],
    ['/dev/zero as the .onnx model', () => [zero], /zero\.onnx: the model is a character device/],
    ['a FIFO as --input', () => [ONNX, '--input', fifo(dir, 'x.npy')], /x\.npy: the input is a FIFO/],
    ['a FIFO as the .pt model', () => [fifo(dir, 'm.pt')], /m\.pt: the model is a FIFO/],
  ])('%s: exit 2 at once', async (_, args, message) => {
    const r = await runQconform(['explain', ...args()], {}, 30_000);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('a file over the size limit is refused before it is read', () => {
    const path = join(dir, 'big.onnx');
    writeFileSync(path, new Uint8Array(100));
    expect(() => checkRegularFile(path, 'model', 99)).toThrow(new ModelReadError(path, 'the model is 100 bytes; explain reads at most 99'));
    expect(readRegularFile(path, 'model', 100).length).toBe(100);
    expect(() => readRegularFile(join(dir, 'none.onnx'), 'model', 100)).toThrow(/cannot read the model: no such file \(ENOENT\)/);
  });
});
