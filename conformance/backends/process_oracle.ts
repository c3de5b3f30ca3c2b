/**
 * A real library behind a process speaking docs/protocol.md, used as an oracle (torch_backend.py, the
 * native adapters): start it, run every request through it in order, close it. Any transport failure
 * aborts with the reason, since a golden vector must come from an answered request.
 */
import type { WireRequest, WireResponse } from '../protocol/messages.js';
import { type Handshake, ProtocolClient } from '../protocol/protocol_client.js';

export interface ProcessOracle {
  /** names the process in the abort message: `<label> failed on <case id>` */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly startTimeoutMs: number;
}

export async function runThroughProcess(
  oracle: ProcessOracle,
  requests: readonly WireRequest[],
  onProgress?: (done: number) => void,
  progressEvery = 500,
): Promise<{ handshake: Handshake; responses: WireResponse[] }> {
  const { client, handshake } = await ProtocolClient.start(oracle.command, oracle.args, { timeoutMs: oracle.startTimeoutMs });
  const responses: WireResponse[] = [];
  try {
    for (const [i, req] of requests.entries()) {
      const r = await client.exchange(req, 60_000);
      if (r.kind !== 'response') throw new Error(`${oracle.label} failed on ${req.id}: ${JSON.stringify(r)}`);
      responses.push(r.response);
      if (onProgress && i % progressEvery === 0) onProgress(i);
    }
  } finally {
    await client.close();
  }
  return { handshake, responses };
}
