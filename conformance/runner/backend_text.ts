/**
 * The bound on a backend's text a run keeps: an error message, a not_run reason, an error code, output names, a
 * response's id, a thrown message, a warning. A response line may hold 64 MiB, and every report (console, JSON, JUnit,
 * HTML) repeats what a result keeps, so 1,200 cases of 0.7 MB messages once made a JSON report longer than a string can
 * be. Kept to its first MAX_BACKEND_TEXT_BYTES bytes of UTF-8, then `... (N more bytes)` (docs/runner.md).
 */

/** Bytes of UTF-8 of a backend's text a result or a warning keeps. */
export const MAX_BACKEND_TEXT_BYTES = 4096;

/** Bytes of one code point in UTF-8 (a lone surrogate as the 3 bytes of U+FFFD that Buffer writes for it). */
function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * `text` when its UTF-8 is at most `maxBytes` long, else its longest prefix of whole code points within `maxBytes`
 * followed by `... (N more bytes)`. The prefix is a new string, so the cut text (a whole response line's message)
 * is not kept alive by it.
 */
export function boundedText(text: string, maxBytes = MAX_BACKEND_TEXT_BYTES): string {
  if (text.length <= maxBytes / 3) return text; // at most 3 bytes per UTF-16 unit
  const total = Buffer.byteLength(text, 'utf8');
  if (total <= maxBytes) return text;
  const kept: string[] = [];
  let bytes = 0;
  for (const c of text) {
    const n = utf8Bytes(c.codePointAt(0)!);
    if (bytes + n > maxBytes) break;
    kept.push(c);
    bytes += n;
  }
  return `${kept.join('')}... (${total - bytes} more bytes)`;
}
