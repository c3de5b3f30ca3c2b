/**
 * Runs inside a worker thread (module_worker.mjs): loads a module backend, copies its fields, and
 * answers each `run` message. Everything the module does wrong is caught here and sent back as text:
 * an export that is not a Backend, a getter that throws, run() throwing or rejecting, a response that
 * is not serializable. What cannot be caught (a synchronous loop, process.exit, an uncaught error) ends
 * or stalls the worker, and the runner sees that (worker_module_backend.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { type Backend, type Capabilities, describeThrown } from '../backend.js';
import { identityOverLimit } from '../identity_limits.js';
import type { BackendSnapshot, FromHost, ModuleHostData, ToHost } from './worker_messages.js';

const port = parentPort!;
const { path } = workerData as ModuleHostData;
const send = (m: FromHost) => port.postMessage(m);

function stringList(x: unknown, what: string): string[] {
  if (!Array.isArray(x) || !x.every((s) => typeof s === 'string')) throw new Error(`${what} is not an array of strings`);
  return [...x];
}

function capabilitiesOf(c: unknown): Capabilities {
  if (typeof c !== 'object' || c === null) throw new Error('capabilities is not an object');
  const raw = c as Record<string, unknown>;
  const optional = (key: 'schemes' | 'dtypes') => (raw[key] === undefined ? {} : { [key]: stringList(raw[key], `capabilities.${key}`) });
  if (raw.accumulator !== undefined && typeof raw.accumulator !== 'string') throw new Error('capabilities.accumulator is not a string');
  return {
    ops: stringList(raw.ops, 'capabilities.ops'),
    ...optional('schemes'),
    ...optional('dtypes'),
    ...(raw.accumulator === undefined ? {} : { accumulator: raw.accumulator as string }),
  };
}

/** A plain copy of the backend's fields, read once; any getter that throws refuses the backend. */
function snapshot(b: Backend): BackendSnapshot {
  const read = <T>(what: string, get: () => T): T => {
    try {
      return get();
    } catch (e) {
      throw new Error(`reading ${what} threw ${describeThrown(e)}`);
    }
  };
  const name = read('name', () => b.name);
  const version = read('version', () => b.version);
  if (typeof name !== 'string' || typeof version !== 'string') throw new Error('name and version must be strings');
  const capabilities = capabilitiesOf(read('capabilities', () => JSON.parse(JSON.stringify(b.capabilities ?? null)) as unknown));
  const info = read('info', () => (b.info === undefined ? undefined : (JSON.parse(JSON.stringify(b.info)) as Record<string, unknown>)));
  const over = identityOverLimit({ strings: { name, version }, lists: { 'capabilities.ops': capabilities.ops, 'capabilities.schemes': capabilities.schemes, 'capabilities.dtypes': capabilities.dtypes }, info });
  if (over !== null) throw new Error(over);
  if (typeof read('run', () => b.run) !== 'function') throw new Error('run is not a function');
  return { name, version, capabilities, ...(info && typeof info === 'object' ? { info } : {}) };
}

/** TypeScript (.ts, .mts, .cts) through tsx's scoped loader, wherever the file is; JavaScript as it is. */
async function importModule(file: string): Promise<{ default?: unknown; backend?: unknown }> {
  const url = pathToFileURL(file).href;
  return (/\.[cm]?ts$/.test(file) ? await tsImport(url, import.meta.url) : await import(url)) as { default?: unknown; backend?: unknown };
}

async function load(): Promise<Backend> {
  const loaded = await importModule(path);
  // a .ts outside a "type": "module" package is CommonJS: its exports arrive as the default export
  const cjs = loaded.default as { default?: unknown; backend?: unknown } | undefined;
  const mod = loaded.backend === undefined && typeof cjs === 'object' && cjs !== null && !('run' in cjs) && ('default' in cjs || 'backend' in cjs) ? cjs : loaded;
  const exported = mod.default ?? mod.backend;
  const value = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  if (typeof value !== 'object' || value === null) throw new Error('exports no backend (a default or "backend" export with name, version, capabilities and run, or a function returning one)');
  return value as Backend;
}

async function answer(backend: Backend, m: Extract<ToHost, { kind: 'run' }>): Promise<FromHost> {
  let response: unknown;
  try {
    response = await backend.run(m.request, { timeoutMs: m.timeoutMs });
  } catch (e) {
    return { kind: 'threw', seq: m.seq, message: `run() threw ${describeThrown(e)}` };
  }
  try {
    return { kind: 'answer', seq: m.seq, json: JSON.stringify({ response }) };
  } catch (e) {
    return { kind: 'threw', seq: m.seq, message: `run() returned a response that cannot be serialized as JSON: ${describeThrown(e)}` };
  }
}

let backend: Backend;
try {
  backend = await load();
  send({ kind: 'ready', backend: snapshot(backend) });
} catch (e) {
  send({ kind: 'load-failed', message: describeThrown(e) });
  process.exit(0);
}

port.on('message', (m: ToHost) => {
  if (m.kind === 'run') {
    void answer(backend, m).then(send);
    return;
  }
  Promise.resolve()
    .then(() => backend.close?.())
    .catch(() => undefined)
    .finally(() => {
      send({ kind: 'closed' });
      port.close();
    });
});
