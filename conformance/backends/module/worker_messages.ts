/**
 * The messages between the runner and the worker thread that hosts a module backend
 * (module_host.ts). Responses cross as JSON text, as they would over docs/protocol.md, so a response
 * that cannot be serialized (a getter that throws, a BigInt, a cycle) is caught in the worker.
 */
import type { Capabilities } from '../backend.js';
import type { WireRequest } from '../../protocol/messages.js';

export interface ModuleHostData {
  /** Absolute path of the module to load. */
  readonly path: string;
}

/** The backend's fields, copied once when it loads. */
export interface BackendSnapshot {
  readonly name: string;
  readonly version: string;
  readonly capabilities: Capabilities;
  readonly info?: Record<string, unknown>;
}

export type ToHost = { kind: 'run'; seq: number; request: WireRequest; timeoutMs: number } | { kind: 'close' };

export type FromHost =
  | { kind: 'ready'; backend: BackendSnapshot }
  | { kind: 'load-failed'; message: string }
  /** `json` is JSON.stringify({ response }): `{}` when run() returned undefined. */
  | { kind: 'answer'; seq: number; json: string }
  | { kind: 'threw'; seq: number; message: string }
  | { kind: 'closed' };
