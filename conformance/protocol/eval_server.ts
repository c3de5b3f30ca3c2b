/**
 * `qconform eval`: serve the protocol (docs/protocol.md) on stdin/stdout with an in-process QuantOps,
 * so any language can use the exact reference (or the fast impl) as its oracle. Every request line gets one
 * response line, whatever it holds (docs/protocol.md, "Limits"): an over-long line is answered too_large and
 * skipped without being buffered, anything unreadable malformed_request with id null. Reading stops while the
 * client does not read the responses (stdout's buffer above its high-water mark), so memory stays bounded.
 */
import type { Writable } from 'node:stream';
import type { ConvOps } from '../../contract/conv.js';
import { QconformError } from '../../contract/errors.js';
import { MAX_REQUEST_LINE_BYTES } from '../../contract/limits.js';
import { WIRE_ENCODINGS } from '../../contract/wire.js';
import type { QuantOps } from '../../contract/ops.js';
import type { RequantizeOps } from '../../contract/requantize.js';
import { LineSplitter, type SplitItem } from './line_splitter.js';
import { errorResponse, evaluateRequest, servedOpNames } from './dispatch.js';
import type { WireResponse } from './messages.js';
import { responseText } from './response_text.js';
import { byteOrderMarkNote } from './byte_order_mark.js';

export interface EvalBackend {
  readonly name: string;
  readonly version: string;
  readonly ops: QuantOps & Partial<ConvOps> & Partial<RequantizeOps>;
}

/** The response to one request line; never throws. */
function answer(backend: EvalBackend, line: SplitItem): WireResponse {
  try {
    if (line.kind === 'overlong') {
      throw new QconformError('too_large', 'request line', `${line.bytes}+ bytes`, `limit MAX_REQUEST_LINE_BYTES = ${MAX_REQUEST_LINE_BYTES} bytes; the line is skipped`);
    }
    let request: unknown;
    try {
      request = JSON.parse(line.text);
    } catch (e) {
      throw new QconformError('malformed_request', 'request line', line.text.length > 80 ? `${line.text.slice(0, 80)}...` : line.text, `not JSON${byteOrderMarkNote(line.text)}: ${(e as Error).message}`);
    }
    return evaluateRequest(backend.ops, request);
  } catch (e) {
    return errorResponse(null, e);
  }
}

/**
 * Writes text (one or more lines); true once the output can take more (after 'drain' if its buffer is full),
 * false once it is closed. A write the output takes at once settles without waiting for an event.
 */
function writeText(output: NodeJS.WritableStream, text: string): boolean | Promise<boolean> {
  if ((output as Partial<Writable>).destroyed) return false;
  if (output.write(text)) return true;
  return new Promise((resolve) => {
    const closed = () => {
      cleanup();
      resolve(false);
    };
    const drained = () => {
      cleanup();
      resolve(true);
    };
    const cleanup = () => {
      output.off('drain', drained);
      output.off('close', closed);
      output.off('error', closed);
    };
    output.on('close', closed);
    output.on('error', closed);
    output.on('drain', drained);
  });
}

export async function serveProtocol(backend: EvalBackend, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  output.on('error', () => {}); // a client that closed its end (EPIPE): writeText sees 'error' (or the stream destroyed) and serving ends
  const handshake = { protocol: 'qconform-eval/1', backend: backend.name, version: backend.version, ops: servedOpNames(backend.ops), encodings: [...WIRE_ENCODINGS], info: { node: process.version } };
  if (!(await writeText(output, `${JSON.stringify(handshake)}\n`))) return;
  // The lines of each input chunk are answered together and their responses written at once (one write per
  // chunk, not per line); the next chunk is read only after that write is taken, so memory stays bounded.
  const ready: SplitItem[] = [];
  const splitter = new LineSplitter(MAX_REQUEST_LINE_BYTES, (item) => ready.push(item));
  const answerReady = async (): Promise<boolean> => {
    const texts: string[] = [];
    for (const line of ready.splice(0)) {
      if (line.kind === 'line' && line.text.trim() === '') continue;
      try {
        texts.push(responseText(answer(backend, line)));
      } catch (e) {
        texts.push(JSON.stringify(errorResponse(null, e))); // an encoding failure of the response itself
      }
    }
    return texts.length === 0 || (await writeText(output, `${texts.join('\n')}\n`));
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (!(await answerReady())) return;
  }
  splitter.end();
  await answerReady();
}
