/**
 * The fast-check path of each call of a fuzz property, counted as fast-check 4.11 counts it (src/check/runner/
 * RunnerIterator.ts, RunExecution.ts `fail` and `mergePaths`): the generated values are numbered 0, 1, ... (skipped
 * ones too); after a failure the shrink candidates of the failing value are numbered from 0 again, appended to its path.
 * A replay starts at the replayed path: its last number is where its level's numbering resumes. So every call of one
 * run has its own path, the path of the shrunk counterexample is fast-check's counterexamplePath, and replaying any
 * call's path gives that call's value first.
 */
export class FuzzPaths {
  private prefix: string[];
  private index: number;
  private current: string | null = null;
  private calls = 0;

  /** `replay`: the --replay path the run starts at (validated: replay_path.ts). */
  constructor(replay?: string) {
    const parts = replay === undefined ? ['0'] : replay.split(':');
    this.index = Number(parts.pop()) - 1;
    this.prefix = parts;
  }

  /** The path of the call about to run. */
  next(): string {
    this.index++;
    this.calls++;
    this.current = [...this.prefix, String(this.index)].join(':');
    return this.current;
  }

  /** The current call failed: fast-check goes on with the shrink candidates of its value. */
  failed(): void {
    if (this.current === null) return;
    this.prefix = this.current.split(':');
    this.index = -1;
  }

  /** How many calls there were. */
  get count(): number {
    return this.calls;
  }
}
