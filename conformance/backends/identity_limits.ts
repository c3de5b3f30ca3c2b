/**
 * How much a backend may say about itself: its name, version, op and capability lists, tensor encodings and free-form
 * `info`. Every report (console, JSON, JUnit, HTML) repeats them, and a handshake line may hold 64 MiB, so a backend
 * that named itself with megabytes once made every report that large. Unlike the text a backend answers a case with
 * (runner/backend_text.ts, cut to its head), these are refused whole: a backend whose identity is cut is not the
 * backend it said it was. The limits are far above what a real backend sends (a CPU-flag list in info is a few KiB).
 * Used by the handshake (protocol/handshake.ts) and by module backends (module/module_host.ts); docs/protocol.md.
 */

/** UTF-8 bytes of the name, the version, and each string of a list. */
export const MAX_IDENTITY_STRING_BYTES = 256;
/** Entries of `ops`, `capabilities.schemes`, `capabilities.dtypes` and `encodings`. */
export const MAX_IDENTITY_LIST_ENTRIES = 1024;
/** UTF-8 bytes of `info` written as JSON. */
export const MAX_INFO_JSON_BYTES = 64 * 1024;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The first member of a backend's identity over its limit, as `<path> is N bytes ...`, or null when all are within. */
export function identityOverLimit(id: {
  /** the name and the version, keyed by where the backend wrote them */
  readonly strings: Readonly<Record<string, string>>;
  readonly lists: Readonly<Record<string, readonly string[] | undefined>>;
  readonly info?: unknown;
}): string | null {
  for (const [path, s] of Object.entries(id.strings)) {
    if (bytes(s) > MAX_IDENTITY_STRING_BYTES) return `${path} is ${bytes(s)} bytes of UTF-8; at most ${MAX_IDENTITY_STRING_BYTES}`;
  }
  for (const [path, list] of Object.entries(id.lists)) {
    if (list === undefined) continue;
    if (list.length > MAX_IDENTITY_LIST_ENTRIES) return `${path} has ${list.length} entries; at most ${MAX_IDENTITY_LIST_ENTRIES}`;
    const i = list.findIndex((s) => bytes(s) > MAX_IDENTITY_STRING_BYTES);
    if (i >= 0) return `${path}[${i}] is ${bytes(list[i]!)} bytes of UTF-8; at most ${MAX_IDENTITY_STRING_BYTES}`;
  }
  if (id.info !== undefined) {
    const n = bytes(JSON.stringify(id.info) ?? '');
    if (n > MAX_INFO_JSON_BYTES) return `info is ${n} bytes of JSON; at most ${MAX_INFO_JSON_BYTES}`;
  }
  return null;
}
