import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './runner_fixtures.js';

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** Runs `node bin/qconform.mjs ...args` in the project root, writes `stdin` and closes it, and collects its output. */
export function runQconform(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000, stdin = ''): Promise<CliRun> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/qconform.mjs'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (exitCode) => done({ stdout, stderr, exitCode }));
    child.stdin.end(stdin);
  });
}

/**
 * `qconform run --backend <backend>` over `lines` (vector cases) written as one file in `dir`: the run, and the
 * [id, verdict] of each case in its report (none when the run wrote no report).
 */
export async function runVectorLines(dir: string, backend: string, lines: readonly { id: string }[]): Promise<{ run: CliRun; verdicts: [string, string][] }> {
  const vectors = join(dir, 'cases.jsonl');
  const report = join(dir, 'report.json');
  writeFileSync(vectors, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const run = await runQconform(['run', '--backend', backend, '--vectors', vectors, '--report', report]);
  const results = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { results: { id: string; verdict: string }[] }).results : [];
  return { run, verdicts: results.map((x) => [x.id, x.verdict]) };
}
