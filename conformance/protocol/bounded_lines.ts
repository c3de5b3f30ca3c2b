/**
 * Lines of a byte stream with a maximum length (docs/protocol.md, "Limits"). A line longer than the limit is
 * reported once, as soon as it passes the limit, and its remaining bytes are skipped as they arrive: memory stays
 * proportional to the limit, not to the line. "\n" ends a line (a "\r" before it is dropped); a last line without
 * "\n" is a line too. Reading is pull-based, so a consumer that does not ask for the next line stops the stream.
 */
export type BoundedLine = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'too_long'; readonly bytes: number };

const NEWLINE = 0x0a;

export async function* boundedLines(input: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let pending = 0;
  /** bytes of an over-long line seen so far; > 0 while its rest is being skipped */
  let skipped = 0;
  const finish = (): BoundedLine => {
    const text = Buffer.concat(parts, pending).toString('utf8');
    parts = [];
    pending = 0;
    return { kind: 'line', text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };
  for await (const chunk of input) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    while (buf.length > 0) {
      const nl = buf.indexOf(NEWLINE);
      const piece = nl === -1 ? buf : buf.subarray(0, nl);
      if (skipped > 0) {
        skipped += piece.length;
      } else if (pending + piece.length > maxBytes) {
        skipped = pending + piece.length;
        parts = [];
        pending = 0;
        yield { kind: 'too_long', bytes: skipped };
      } else {
        parts.push(piece);
        pending += piece.length;
      }
      if (nl === -1) break;
      if (skipped > 0) skipped = 0;
      else yield finish();
      buf = buf.subarray(nl + 1);
    }
  }
  if (skipped === 0 && pending > 0) yield finish();
}
