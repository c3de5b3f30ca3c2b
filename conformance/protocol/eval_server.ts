/**
 * `qconform eval`: serve the protocol (docs/protocol.md) on stdin/stdout with an in-process QuantOps,
 * so any language can use the exact reference (or the fast impl) as its oracle.
 */
import { createInterface } from 'node:readline';
import { OP_NAMES, type QuantOps } from '../../contract/ops.js';
import { evaluateRequest } from './dispatch.js';

export interface EvalBackend {
  readonly name: string;
  readonly version: string;
  readonly ops: QuantOps;
}

export async function serveProtocol(backend: EvalBackend, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  output.write(`${JSON.stringify({ protocol: 'qconform-eval/1', backend: backend.name, version: backend.version, ops: OP_NAMES, info: { node: process.version } })}\n`);
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch (e) {
      output.write(`${JSON.stringify({ id: '', error: { code: 'malformed_request', message: `request line is not JSON: ${(e as Error).message}` } })}\n`);
      continue;
    }
    output.write(`${JSON.stringify(evaluateRequest(backend.ops, request))}\n`);
  }
}
