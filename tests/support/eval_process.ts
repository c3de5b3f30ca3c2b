import { runQconform } from './cli_process.js';

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
export async function runEvalProcess(backend: 'reference' | 'impl', requestLines: readonly string[], timeoutMs = 60_000): Promise<EvalRun> {
  const { stdout, stderr, exitCode } = await runQconform(['eval', '--backend', backend], {}, timeoutMs, requestLines.map((l) => `${l}\n`).join(''));
  return { lines: stdout.split('\n').filter((l) => l !== ''), stderr, exitCode };
}
