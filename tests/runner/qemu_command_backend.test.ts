import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandNotRunnable, qemuX86Program } from '../../conformance/backends/cpu/qemu_program.js';
import { runQconform } from '../support/cli_process.js';

/**
 * A command backend on an emulated CPU (docs/runner.md, CPUs): qemu-x86_64-static neither searches PATH nor runs
 * `#!` scripts, and its own message goes to stdout and is lost, so qconform resolves the first word as a shell does.
 */
const tmp = mkdtempSync(join(tmpdir(), 'qconform-qemu-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A PATH directory holding `python3` as the real interpreter (a symlink), one holding it as a `#!` shim, one as text. */
const realDir = join(tmp, 'real');
const shimDir = join(tmp, 'shim');
const textDir = join(tmp, 'text');
for (const [dir, write] of [
  [realDir, (p: string) => symlinkSync('/usr/bin/python3', p)],
  [shimDir, (p: string) => writeFileSync(p, '#!/usr/bin/env bash\nexec /usr/bin/python3 "$@"\n', { mode: 0o755 })],
  [textDir, (p: string) => writeFileSync(p, 'not a program\n', { mode: 0o755 })],
] as const) {
  mkdirSync(dir);
  write(join(dir, 'python3'));
}

const BACKEND = 'python3 examples/python_backend/qconform_backend.py';
const pathWith = (dir: string) => `${dir}${delimiter}${process.env.PATH ?? ''}`;

describe('a command backend under QEMU (--cpu haswell)', () => {
  it('has its first word resolved through PATH, as a shell would', () => {
    expect(qemuX86Program('python3', 'haswell', realDir)).toBe(join(realDir, 'python3'));
    expect(qemuX86Program('/usr/bin/python3', 'haswell', '')).toBe('/usr/bin/python3');
  });

  it('is refused, naming it, when not found, a script, or not an ELF program', () => {
    expect(() => qemuX86Program('no-such-backend-program', 'haswell', realDir)).toThrow(CommandNotRunnable);
    expect(() => qemuX86Program('no-such-backend-program', 'haswell', realDir)).toThrow(/"no-such-backend-program": no executable file of that name on PATH/);
    expect(() => qemuX86Program('./no/such/file', 'nehalem', realDir)).toThrow(/"\.\/no\/such\/file": no executable file of that name \(--cpu nehalem/);
    expect(() => qemuX86Program('python3', 'haswell', shimDir)).toThrow(/python3 \(.*shim\/python3\) is a script \(#!\/usr\/bin\/env bash\)/);
    expect(() => qemuX86Program('python3', 'haswell', textDir)).toThrow(/python3 \(.*text\/python3\) is not an ELF program/);
  });

  it('runs the Python example from PATH under the model, and refuses one it cannot start with exit 2 before any case', async () => {
    const run = ['run', '--backend', BACKEND, '--case', 'quantize_per_tensor-00001', '--case', 'quantize_per_tensor-00002', '--cpu', 'haswell'];
    const ok = await runQconform(run, { PATH: pathWith(realDir) });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/on cpu haswell \(qemu-x86_64-static -cpu Haswell\)/);
    expect(ok.stdout).toMatch(/2 cases: 2 pass/);
    const shim = await runQconform(run, { PATH: pathWith(shimDir) });
    expect(shim.exitCode).toBe(2);
    expect(shim.stderr).toMatch(/error: --backend command python3 \(.*\) is a script/);
    expect(shim.stdout).not.toMatch(/crash/);
  }, 120_000);
});
