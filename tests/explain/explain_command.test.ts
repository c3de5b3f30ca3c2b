/**
 * `qconform explain` as a command: exit 0 with the table and both files written; exit 2 with one typed message
 * (never a stack trace) for a missing or malformed model, a bad input, a bad --shape, or a destination that
 * cannot be written (checked before any work).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { captureConsole } from '../support/console_capture.js';

const ONNX = 'examples/quantized_cnn/model.onnx';
const printed = captureConsole();

describe('qconform explain', () => {
  it('explains the example ONNX model on generated data: table, --json and --html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-explain-'));
    const code = explainCommand(ONNX, { seed: '5', json: join(dir, 'e.json'), html: join(dir, 'e.html') });
    expect(code).toBe(0);
    const table = printed.out.join('\n');
    expect(table).toContain('input GENERATED: seeded standard normal data (seed 5)');
    expect(table).toContain('/conv1/Conv  QDQ Conv + Relu');
    expect(table).toContain('/fc/Gemm  QDQ Gemm  w[10x256] (a 1x1 conv over the rows)  in [1x256]');
    const json = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8'));
    expect(json.format).toBe('qconform-explain/1');
    expect(json.steps.filter((s: { kind: string }) => s.kind === 'conv2d')).toHaveLength(4);
    expect(readFileSync(join(dir, 'e.html'), 'utf8')).toContain('<svg');
  }, 60_000);

  it.each([
    ['a missing model', 'no/such.onnx', {}, /no\/such.onnx: cannot read the model/],
    ['a malformed model', 'MALFORMED', {}, /not an ONNX model/],
    ['an unknown extension', 'README.md', {}, /expected a .onnx model or a TorchScript .pt file/],
    ['an input that is not a tensor', ONNX, { input: 'package.json' }, /JSON tensor/],
    ['a bad --shape', ONNX, { shape: '1,3,16' }, /--shape: expected N,C,H,W or N,F/],
    ['--html on a directory', ONNX, { html: tmpdir() }, /--html: cannot write the report: .* is a directory/],
  ])('%s: exit 2 and one message', (_, model, extra, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-explain-'));
    const path = model === 'MALFORMED' ? join(dir, 'bad.onnx') : model;
    if (model === 'MALFORMED') writeFileSync(path, 'not protobuf at all \u0000\u00ff');
    expect(explainCommand(path, { seed: '1', ...extra })).toBe(2);
    expect(printed.err).toHaveLength(1);
    expect(printed.err[0]).toMatch(message);
    expect(printed.err[0]).not.toMatch(/\n\s+at /);
  });

  it('never writes over the model, the --input file or the other output, nor replaces a FIFO: exit 2, each left as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-explain-'));
    const model = join(dir, 'model.onnx');
    copyFileSync(ONNX, model);
    const input = join(dir, 'x.json');
    writeFileSync(input, '{"dtype":"float32","shape":[1,3,16,16]}');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const before = readFileSync(model);
    for (const [options, message] of [
      [{ html: model }, /--html: .*model.onnx would overwrite the model/],
      [{ json: model }, /--json: .*model.onnx would overwrite the model/],
      [{ input, html: input }, /--html: .*x.json would overwrite the --input file/],
      [{ json: join(dir, 'same'), html: join(dir, 'same') }, /--html: .*same is also the --json destination/],
      [{ html: fifo }, /--html: cannot write the report: .*fifo: it is a FIFO, which writing the file would replace/],
    ] as const) {
      printed.err = [];
      expect(explainCommand(model, { seed: '1', ...options }), JSON.stringify(options)).toBe(2);
      expect(printed.err.join('\n')).toMatch(message);
    }
    expect(readFileSync(model).equals(before)).toBe(true);
    expect(readFileSync(input, 'utf8')).toBe('{"dtype":"float32","shape":[1,3,16,16]}');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(existsSync(join(dir, 'same'))).toBe(false);
  });
});
