/**
 * A byte-order mark (U+FEFF) before a line of JSON. Protocol lines (docs/protocol.md: handshakes, requests, responses),
 * vector files and waiver files are UTF-8 without one (RFC 8259 section 8.1: JSON text must not begin with one), so a
 * line that starts with one is refused as any line that is not what it should be, and the refusal names the mark:
 * JSON.parse only says "Unexpected token", and the mark is invisible in an editor or a terminal.
 */
export const BYTE_ORDER_MARK = '\uFEFF';

/** The words to add to a refusal of `text`: ' (it starts with a byte-order mark, U+FEFF: ...)' or ''. */
export function byteOrderMarkNote(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? ' (it starts with a byte-order mark, U+FEFF: write UTF-8 without one)' : '';
}
