/**
 * The processes a backend left outside its process group. Ending a backend's group (process_group.ts) misses a
 * descendant that made a session or group of its own (setsid, a detached spawn, a daemon's double fork), and once the
 * backend has exited such a process is a child of init, no longer found by parent ids. So each backend is started with
 * an environment variable of its own (BACKEND_COOKIE, a value no other backend has), which its descendants inherit;
 * on Linux the processes whose /proc/<pid>/environ holds it are the backend's, wherever they moved. (Jenkins finds a
 * build's leftover processes the same way, by its BUILD_ID.) A process that clears its environment is not found; off
 * Linux (no /proc) none is.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

/** The variable each backend process, and so each of its descendants, carries. */
export const BACKEND_COOKIE = 'QCONFORM_BACKEND_COOKIE';

/** A value of BACKEND_COOKIE for one backend process: this runner's pid and random bytes. */
export function newBackendCookie(): string {
  return `${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** The pids (other than this process) whose environment holds BACKEND_COOKIE=<one of `cookies`>; [] without /proc. */
export function processesWithCookie(cookies: ReadonlySet<string>): number[] {
  if (cookies.size === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  // environ is NUL-separated NAME=value entries, each NUL-terminated
  const wanted = [...cookies].map((c) => `\0${BACKEND_COOKIE}=${c}\0`);
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone, or another user's
    }
    const entriesText = `\0${environ}`;
    if (wanted.some((w) => entriesText.includes(w))) found.push(pid);
  }
  return found;
}
