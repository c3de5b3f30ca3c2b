/**
 * A backend in any language: a process speaking docs/protocol.md. The handshake supplies its name,
 * version and claims. After a crash, a timeout or a garbage line the process is killed and a fresh
 * one is started for the next case, so one bad case never costs the others.
 */
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { type Handshake, ProtocolClient } from '../../protocol/protocol_client.js';
import { type Backend, BackendFault, type Capabilities } from '../backend.js';

export interface ProcessCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface StartOptions {
  readonly startTimeoutMs?: number;
  /** Claims assumed where the handshake's optional `capabilities` member is silent. */
  readonly defaultCapabilities?: Omit<Capabilities, 'ops'>;
}

/** The handshake's `ops` and optional `capabilities` member (docs/protocol.md), over the defaults. */
function capabilitiesOf(hs: Handshake, defaults: Omit<Capabilities, 'ops'> = {}): Capabilities {
  return { ...defaults, ...hs.capabilities, ops: hs.ops };
}

export class SubprocessBackend implements Backend {
  readonly name: string;
  readonly version: string;
  readonly capabilities: Capabilities;
  readonly info: Record<string, unknown>;
  readonly enforcesTimeout = true;
  private client: ProtocolClient | null;
  /** How many times the process was started again after a fault. */
  restarts = 0;

  private constructor(
    private readonly cmd: ProcessCommand,
    client: ProtocolClient,
    handshake: Handshake,
    private readonly startTimeoutMs: number,
    defaults: Omit<Capabilities, 'ops'> | undefined,
  ) {
    this.client = client;
    this.name = handshake.backend;
    this.version = handshake.version;
    this.capabilities = capabilitiesOf(handshake, defaults);
    this.info = handshake.info ?? {};
  }

  static async start(cmd: ProcessCommand, { startTimeoutMs = 120_000, defaultCapabilities }: StartOptions = {}): Promise<SubprocessBackend> {
    const { client, handshake } = await ProtocolClient.start(cmd.command, cmd.args, startTimeoutMs, cmd.env);
    return new SubprocessBackend(cmd, client, handshake, startTimeoutMs, defaultCapabilities);
  }

  private async liveClient(): Promise<ProtocolClient> {
    if (this.client?.alive) return this.client;
    this.client?.kill();
    this.client = null;
    try {
      const { client } = await ProtocolClient.start(this.cmd.command, this.cmd.args, this.startTimeoutMs, this.cmd.env);
      this.restarts++;
      this.client = client;
      return client;
    } catch (e) {
      throw new BackendFault('crash', `restart failed: ${(e as Error).message}`);
    }
  }

  async run(request: WireRequest, { timeoutMs }: { timeoutMs: number }): Promise<WireResponse> {
    const client = await this.liveClient();
    const r = await client.exchange(request, timeoutMs);
    if (r.kind === 'response') return r.response;
    client.kill(); // its stream can no longer be trusted to line up with our requests
    this.client = null;
    if (r.kind === 'timeout') throw new BackendFault('timeout', `no response within ${r.afterMs} ms`);
    if (r.kind === 'garbage') throw new BackendFault('garbage', `${r.reason}: ${r.line.slice(0, 200)}`);
    const how = r.signal ? `signal ${r.signal}` : `exit code ${r.exitCode}`;
    throw new BackendFault('crash', `process ended (${how}); stderr: ${r.stderrTail.trim().slice(-300)}`);
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
