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

export interface VectorLinesRun {
  readonly run: CliRun;
  /** [id, verdict] of each case in the JSON report (none when the run wrote no report) */
  readonly verdicts: [string, string][];
  /** each case's detail, by id */
  readonly details: Map<string, string | undefined>;
  /** the JSON report's counts and passed (null when the run wrote no report) */
  readonly counts: Record<string, number> | null;
  readonly passed: boolean | null;
  /** the JUnit XML report ('' when the run wrote none) */
  readonly junit: string;
}

/**
 * `qconform run --backend <backend>` over `lines` (vector cases) written as one file in `dir`, with a JSON and a JUnit
 * report: the run, each case's verdict and detail, the report's counts and passed, and the JUnit text.
 */
export async function runVectorLines(dir: string, backend: string, lines: readonly { id: string }[]): Promise<VectorLinesRun> {
  const vectors = join(dir, 'cases.jsonl');
  const report = join(dir, 'report.json');
  const junitFile = join(dir, 'report.xml');
  writeFileSync(vectors, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const run = await runQconform(['run', '--backend', backend, '--vectors', vectors, '--report', report, '--junit', junitFile]);
  const json = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { counts: Record<string, number>; passed: boolean; results: { id: string; verdict: string; detail?: string }[] }) : null;
  const results = json?.results ?? [];
  return {
    run,
    verdicts: results.map((x) => [x.id, x.verdict]),
    details: new Map(results.map((x) => [x.id, x.detail])),
    counts: json?.counts ?? null,
    passed: json?.passed ?? null,
    junit: existsSync(junitFile) ? readFileSync(junitFile, 'utf8') : '',
  };
}
