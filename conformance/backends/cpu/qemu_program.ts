/**
 * The program a command backend's first word names, as QEMU user mode must be given it. qemu-x86_64-static
 * (Debian 7.2) opens its program argument as a path: it does not search PATH for a bare name, and it loads
 * ELF programs only (no `#!` scripts: that is the kernel's binfmt_script, which qemu-user does not do). It
 * reports both by printf to stdout followed by _exit (linux-user/main.c, "Error while loading %s: %s"), so
 * through a pipe the message is lost and the run saw only "exit code 1" with an empty stderr. The command
 * is therefore resolved here, as a shell would, and refused with a message that names it.
 */
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** A command backend's program that QEMU user mode cannot start: not found, or not an x86-64 ELF program. */
export class CommandNotRunnable extends Error {
  override readonly name = 'CommandNotRunnable';
}

const EM_X86_64 = 62;

function isExecutableFile(path: string): boolean {
  if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `command` resolved as a shell resolves a command's first word: a word with a `/` as is, else the first executable on PATH. */
export function resolveOnPath(command: string, path: string = process.env.PATH ?? ''): string | null {
  if (command.includes('/')) return isExecutableFile(command) ? resolve(command) : null;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir || '.', command);
    if (isExecutableFile(candidate)) return resolve(candidate);
  }
  return null;
}

function head(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The absolute path of the x86-64 ELF program `command` names (looked up on `path` when it has no `/`),
 * for `qemu-x86_64-static -cpu <model> <program> ...`. Throws CommandNotRunnable naming the command otherwise.
 */
export function qemuX86Program(command: string, cpuName: string, path?: string): string {
  const found = resolveOnPath(command, path);
  const where = command.includes('/') ? '' : ' on PATH';
  if (!found) throw new CommandNotRunnable(`--backend command ${JSON.stringify(command)}: no executable file of that name${where} (--cpu ${cpuName} starts it under QEMU user mode)`);
  const bytes = head(found, 20);
  const shown = found === command ? command : `${command} (${found})`;
  if (bytes.subarray(0, 2).toString('latin1') === '#!') {
    const line = head(found, 200).toString('latin1').split('\n')[0]!;
    throw new CommandNotRunnable(`--backend command ${shown} is a script (${line}); QEMU user mode (--cpu ${cpuName}) runs ELF programs only: name its interpreter's program first, e.g. /usr/bin/python3 <script>`);
  }
  if (bytes.length < 20 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new CommandNotRunnable(`--backend command ${shown} is not an ELF program; QEMU user mode (--cpu ${cpuName}) runs x86-64 ELF programs only`);
  if (bytes.readUInt16LE(18) !== EM_X86_64) throw new CommandNotRunnable(`--backend command ${shown} is an ELF program for another machine (e_machine ${bytes.readUInt16LE(18)}); --cpu ${cpuName} runs x86-64 programs only`);
  return found;
}
