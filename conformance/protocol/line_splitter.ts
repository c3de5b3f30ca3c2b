/**
 * Splits a byte stream into UTF-8 lines without ever holding more than `maxLineBytes` of one line:
 * a line that passes the limit is reported once as over-long and the rest of it, up to its newline,
 * is discarded. A trailing `\r` is dropped, as readline does.
 */
export type SplitItem = { kind: 'line'; text: string } | { kind: 'overlong'; bytes: number };

const NEWLINE = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes of the current line seen while discarding it (0 when not discarding). */
  private discarded = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly emit: (item: SplitItem) => void,
  ) {}

  /** Bytes of the line being received (no newline yet); 0 between lines. */
  get pendingBytes(): number {
    return this.partBytes + this.discarded;
  }

  /** The first bytes of the line being received, for an early verdict on a line that cannot be a response. */
  pendingHead(): string {
    const first: Buffer[] = [];
    let bytes = 0;
    for (const part of this.parts) {
      if (bytes >= 64) break;
      first.push(part);
      bytes += part.length;
    }
    return Buffer.concat(first).subarray(0, 64).toString('utf8');
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl === -1) return;
      this.endLine();
      start = nl + 1;
    }
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.discarded > 0) {
      this.discarded += piece.length;
      return;
    }
    if (this.partBytes + piece.length > this.maxLineBytes) {
      this.discarded = this.partBytes + piece.length;
      this.parts = [];
      this.partBytes = 0;
      this.emit({ kind: 'overlong', bytes: this.discarded });
      return;
    }
    this.parts.push(piece);
    this.partBytes += piece.length;
  }

  /** The end of the stream: a last line without a newline is a line too (an over-long one was reported already). */
  end(): void {
    if (this.partBytes > 0 || this.discarded > 0) this.endLine();
  }

  private endLine(): void {
    if (this.discarded > 0) {
      this.discarded = 0;
      return;
    }
    const text = (this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partBytes)).toString('utf8');
    this.parts = [];
    this.partBytes = 0;
    this.emit({ kind: 'line', text: text.endsWith('\r') ? text.slice(0, -1) : text });
  }
}
