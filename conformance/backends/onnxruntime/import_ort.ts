/**
 * The one place qconform loads onnxruntime-node. ONNX Runtime 1.30's Linux build records telemetry: at its first
 * session it creates a SQLite event store and a persistent device id under $XDG_CACHE_HOME (or ~/.cache)
 * /Microsoft/DeveloperTools/.onnxruntime/, is built to upload the events over HTTPS (the library's strings name an event collector and a CA bundle; not
 * measured here, where no such host is reachable), and when several processes share the
 * store it leaves /tmp/mat-debug-<pid>.log files ("database is locked"). Measured here: 25 minutes of a CI run with tests
 * beside it grew the store to
 * 177 MB and left 301 such files. A conformance run creates thousands of sessions, so qconform turns that off with
 * the variable ORT reads (the library's posix telemetry; a session then writes nothing), unless the user set
 * ORT_DISABLE_TELEMETRY themselves (ORT records with "0" or an empty value). Set before the import, so it also holds
 * in the processes this one starts (the ORT server under QEMU, tests' child processes). ORT itself records nothing
 * when it sees a CI job (CI=true, GITHUB_ACTIONS, GITLAB_CI, ... set: measured), so a developer's machine is where
 * this matters.
 */
import type { OrtModule } from './qlinear_conv.js';

/** ORT's own switch (any value but "0" and "" turns the recording off: measured with onnxruntime-node 1.30). */
export const ORT_TELEMETRY_SWITCH = 'ORT_DISABLE_TELEMETRY';

/** Turns ORT's telemetry off for this process and its children unless the user chose otherwise. */
export function disableOrtTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  if (env[ORT_TELEMETRY_SWITCH] === undefined) env[ORT_TELEMETRY_SWITCH] = '1';
}

/** onnxruntime-node, loaded with its telemetry off (disableOrtTelemetry); throws as the import does when it is missing. */
export async function importOrt(): Promise<OrtModule> {
  disableOrtTelemetry();
  return (await import('onnxruntime-node')) as OrtModule;
}
