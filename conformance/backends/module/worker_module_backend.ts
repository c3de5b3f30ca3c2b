/**
 * A module backend (a .ts/.js file exporting a Backend) run in a worker thread, where a timeout can stop
 * it: a synchronous infinite loop or a promise that never settles is ended by terminating the worker
 * (`timeout`), and process.exit or an uncaught error in the module ends only the worker (`crash`). Either
 * way the worker is started again for the next case. The runner sees an ordinary Backend whose fields
 * are a copy read once at load (module_host.ts).
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { type Backend, BackendFault, type Capabilities } from '../backend.js';
import type { BackendSnapshot, FromHost, ModuleHostData, ToHost } from './worker_messages.js';

import { RUNNING_COMPILED } from '../../package_root.js';

/** Compiled (dist/), the worker runs module_host.js as it is; from the sources, module_worker.mjs first lets it load TypeScript. */
const ENTRY = new URL(RUNNING_COMPILED ? './module_host.js' : './module_worker.mjs', import.meta.url);
/** Loading a module (tsx compiles it) may take seconds on a loaded machine; a load that hangs is refused. */
export const MODULE_LOAD_TIMEOUT_MS = 60_000;

interface Pending {
  readonly seq: number;
  settle(outcome: { response: unknown } | { fault: BackendFault }): void;
}

/** One worker and its loaded module. */
class HostedModule {
  private pending: Pending | null = null;
  private dead: string | null = null;
  private readonly onDeath: Array<(why: string) => void> = [];
  private readonly ready: Array<(m: FromHost) => void> = [];

  private constructor(readonly worker: Worker) {
    worker.on('message', (m: FromHost) => this.message(m));
    worker.on('error', (e: Error) => this.die(`an uncaught ${e.name}: ${e.message}`));
    worker.on('exit', (code) => this.die(`its worker ended (exit code ${code}${code === 0 ? ', e.g. process.exit(0)' : ''})`));
  }

  static start(path: string, loadTimeoutMs: number): Promise<{ host: HostedModule; backend: BackendSnapshot }> {
    const data: ModuleHostData = { path };
    const host = new HostedModule(new Worker(ENTRY, { workerData: data, stdout: false, stderr: false }));
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        void host.stop();
        fail(new Error(`${path}: not loaded within ${loadTimeoutMs} ms`));
      }, loadTimeoutMs);
      const finish = (f: () => void) => {
        clearTimeout(timer);
        f();
      };
      host.ready.push((m) => {
        if (m.kind === 'ready') finish(() => done({ host, backend: m.backend }));
        else if (m.kind === 'load-failed') finish(() => fail(new Error(`${path}: ${m.message}`)));
        void (m.kind === 'load-failed' && host.stop());
      });
      host.onDeath.push((why) => finish(() => fail(new Error(`${path}: ${why} while loading`))));
    });
  }

  get alive(): boolean {
    return this.dead === null;
  }

  private message(m: FromHost): void {
    if (m.kind === 'ready' || m.kind === 'load-failed') {
      for (const f of this.ready.splice(0)) f(m);
      return;
    }
    if (m.kind === 'closed' || !this.pending || m.seq !== this.pending.seq) return;
    const p = this.pending;
    this.pending = null;
    if (m.kind === 'threw') {
      p.settle({ fault: new BackendFault('garbage', m.message) });
      return;
    }
    p.settle({ response: (JSON.parse(m.json) as { response?: unknown }).response });
  }

  private die(why: string): void {
    if (this.dead !== null) return;
    this.dead = why;
    for (const f of this.onDeath.splice(0)) f(why);
    const p = this.pending;
    this.pending = null;
    p?.settle({ fault: new BackendFault('crash', `the module ended: ${why}`) });
  }

  run(seq: number, request: WireRequest, timeoutMs: number): Promise<unknown> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.dead ??= 'stopped after a timeout';
        void this.worker.terminate();
        fail(new BackendFault('timeout', `no response within ${timeoutMs} ms; the module's worker was stopped (a synchronous loop or a promise that never settles) and is restarted`));
      }, timeoutMs);
      this.pending = {
        seq,
        settle: (outcome) => {
          clearTimeout(timer);
          if ('fault' in outcome) fail(outcome.fault);
          else done(outcome.response);
        },
      };
      const message: ToHost = { kind: 'run', seq, request, timeoutMs };
      this.worker.postMessage(message);
    });
  }

  /** Asks the module to close (bounded), then ends the worker. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.alive) {
      await new Promise<void>((done) => {
        const timer = setTimeout(done, graceMs);
        this.worker.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        this.worker.on('message', (m: FromHost) => m.kind === 'closed' && done());
        this.worker.postMessage({ kind: 'close' } satisfies ToHost);
      });
    }
    await this.worker.terminate();
  }
}

export class WorkerModuleBackend implements Backend {
  readonly enforcesTimeout = true;
  /** Times the worker was started again after a timeout or a crash. */
  restarts = 0;
  private seq = 0;
  private broken: string | null = null;

  private constructor(
    private readonly path: string,
    private host: HostedModule,
    private readonly snapshot: BackendSnapshot,
    private readonly loadTimeoutMs: number,
  ) {}

  static async start(path: string, loadTimeoutMs = MODULE_LOAD_TIMEOUT_MS): Promise<WorkerModuleBackend> {
    const abs = resolve(path);
    const { host, backend } = await HostedModule.start(abs, loadTimeoutMs);
    return new WorkerModuleBackend(abs, host, backend, loadTimeoutMs);
  }

  get name(): string {
    return this.snapshot.name;
  }
  get version(): string {
    return this.snapshot.version;
  }
  get capabilities(): Capabilities {
    return this.snapshot.capabilities;
  }
  get info(): Record<string, unknown> | undefined {
    return this.snapshot.info;
  }
  /** Whether a worker is hosting the module now (false after close: no worker is left behind). */
  get running(): boolean {
    return this.host.alive;
  }

  async run(request: WireRequest, options: { timeoutMs: number }): Promise<WireResponse> {
    if (this.broken) throw new BackendFault('crash', this.broken);
    if (!this.host.alive) await this.restart();
    return (await this.host.run(++this.seq, request, options.timeoutMs)) as WireResponse;
  }

  private async restart(): Promise<void> {
    await this.host.worker.terminate();
    try {
      this.host = (await HostedModule.start(this.path, this.loadTimeoutMs)).host;
      this.restarts++;
    } catch (e) {
      this.broken = `the module could not be started again: ${(e as Error).message}`;
      throw new BackendFault('crash', this.broken);
    }
  }

  async close(): Promise<void> {
    await this.host.stop();
  }
}
