/**
 * Module backends written as .ts, .mts or .mjs load from anywhere, not only inside a qconform checkout: a
 * self-contained TypeScript file in a temporary folder without package.json (so Node treats it as CommonJS) used to
 * fail with "Cannot require() ES Module ... in a cycle" or a syntax error; module_host.ts loads it with tsx's tsImport.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQconform } from '../support/cli_process.js';

const outside = mkdtempSync(join(tmpdir(), 'qconform-module-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

/** Answers every request with unknown_op: each case is `unsupported`, which shows the module loaded and answered. */
const TYPESCRIPT = `interface Request { id: string; op: string }
const backend: { name: string; version: string; capabilities: { ops: string[] }; run(r: Request): unknown } = {
  name: 'outside-NAME', version: '1.0.0',
  capabilities: { ops: ['quantize_per_tensor@1'] },
  run: (request: Request) => ({ id: request.id, error: { code: 'unknown_op', message: 'not here' } }),
};
export default backend;
`;

describe('a module backend outside the checkout', () => {
  it.each(['ts', 'mts', 'mjs'])('.%s loads, answers and is judged', async (ext) => {
    const source = ext === 'mjs' ? TYPESCRIPT.replace(/^interface.*\n/, '').replace(/: \{ name[^=]*=/, ' =').replace('(request: Request)', '(request)') : TYPESCRIPT;
    const file = join(outside, `backend_${ext}.${ext}`);
    writeFileSync(file, source.replace('NAME', ext));
    const r = await runQconform(['run', '--backend', file, '--case', 'quantize_per_tensor-00001', 'quantize_per_tensor-00002']);
    expect(r.stderr).not.toContain('cannot start backend');
    expect(r.stdout).toContain(`outside-${ext} 1.0.0`);
    expect(r.stdout).toMatch(/2 cases: 2 unsupported/);
    expect(r.exitCode).toBe(1);
  }, 120_000);
});
