/**
 * A backend process in a process group of its own (spawned detached), so that ending it ends everything
 * it started: grandchildren that inherited its stdout would otherwise keep the pipe, and the runner,
 * alive. Every live group is also ended when the runner exits, however it exits. A descendant that left the group
 * (setsid) is ended with it too, found by the environment variable the backend was started with (process_cookie.ts).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { BACKEND_COOKIE, newBackendCookie, processesWithCookie } from './process_cookie.js';

/** Each live backend group's leader pid, and the cookie its processes carry. */
const liveGroups = new Map<number, string>();

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

/** SIGKILL the groups of `pgids` and every process carrying one of `cookies` (one scan of /proc for them all). */
function killTrees(pgids: Iterable<number>, cookies: ReadonlySet<string>): void {
  const strays = processesWithCookie(cookies);
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ESRCH: it ended with its group
    }
  }
}

/** SIGKILL every backend group still alive, and what left them (synchronous: safe in an 'exit' handler). */
export function killAllBackendGroups(): void {
  killTrees(liveGroups.keys(), new Set(liveGroups.values()));
  liveGroups.clear();
}

let exitHookInstalled = false;

/** Spawn `command args...` as the leader of a new process group, with piped stdio. */
export function spawnGroup(command: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  if (!exitHookInstalled) {
    process.on('exit', killAllBackendGroups);
    exitHookInstalled = true;
  }
  const cookie = newBackendCookie();
  const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, [BACKEND_COOKIE]: cookie }, detached: true });
  if (child.pid !== undefined) liveGroups.set(child.pid, cookie);
  return child;
}

/**
 * SIGKILL the child's whole group, and its descendants that left the group, and let go of its pipes (a grandchild may
 * still hold their other ends).
 */
export function killGroup(child: ChildProcessWithoutNullStreams): void {
  if (child.pid !== undefined) {
    const cookie = liveGroups.get(child.pid); // undefined once killed: its processes were killed then
    killTrees([child.pid], new Set(cookie === undefined ? [] : [cookie]));
    liveGroups.delete(child.pid);
  }
  child.stdin.destroy();
  child.stdout.destroy();
  child.stderr.destroy();
}
