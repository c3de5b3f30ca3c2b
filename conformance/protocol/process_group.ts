/**
 * A backend process in a process group of its own (spawned detached), so that ending it ends everything
 * it started: grandchildren that inherited its stdout would otherwise keep the pipe, and the runner,
 * alive. Every live group is also ended when the runner exits, however it exits.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

const liveGroups = new Set<number>();

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

/** SIGKILL every backend group still alive (synchronous: safe in an 'exit' handler). */
export function killAllBackendGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

let exitHookInstalled = false;

/** Spawn `command args...` as the leader of a new process group, with piped stdio. */
export function spawnGroup(command: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  if (!exitHookInstalled) {
    process.on('exit', killAllBackendGroups);
    exitHookInstalled = true;
  }
  const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  return child;
}

/** SIGKILL the child's whole group and let go of its pipes (a grandchild may still hold their other ends). */
export function killGroup(child: ChildProcessWithoutNullStreams): void {
  if (child.pid !== undefined) {
    signalGroup(child.pid, 'SIGKILL');
    liveGroups.delete(child.pid);
  }
  child.stdin.destroy();
  child.stdout.destroy();
  child.stderr.destroy();
}
