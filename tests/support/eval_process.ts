import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = resolve(PROJECT_ROOT, 'bin/qconform.mjs');

export interface EvalRun {
  /** stdout split into lines (the trailing newline dropped). */
  readonly lines: string[];
  readonly stderr: string;
  readonly exitCode: number | null;
}

/**
 * Runs `node bin/qconform.mjs eval --backend <backend>` as a child process, writes `requestLines`
 * (one per line) to its stdin, closes stdin and collects everything it printed.
 */
export function runEvalProcess(backend: 'reference' | 'impl', requestLines: readonly string[], timeoutMs = 60_000): Promise<EvalRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, 'eval', '--backend', backend], { cwd: PROJECT_ROOT, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolvePromise({ lines: stdout.split('\n').filter((l) => l !== ''), stderr, exitCode }));
    child.stdin.end(requestLines.map((l) => `${l}\n`).join(''));
  });
}
