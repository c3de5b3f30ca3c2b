/**
 * The lines of a byte stream as a pull-based async generator, for the eval server (docs/protocol.md,
 * "Limits"): LineSplitter does the splitting and the length limit, so a consumer that does not ask for the
 * next line stops reading the stream. A last line without "\n" is a line too.
 */
import { LineSplitter, type SplitItem } from './line_splitter.js';

export async function* boundedLines(input: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<SplitItem> {
  const ready: SplitItem[] = [];
  const splitter = new LineSplitter(maxBytes, (item) => ready.push(item));
  for await (const chunk of input) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    yield* ready.splice(0);
  }
  splitter.end();
  yield* ready.splice(0);
}
