/**
 * The handshake line of docs/protocol.md, checked whole before anything uses it: a backend whose
 * handshake has the wrong shape is refused with the path of the first wrong member (`bad handshake:
 * capabilities.dtypes must be an array of strings, got "quint8"`), never a crash later on.
 */
import type { Capabilities } from '../backends/backend.js';
import { identityOverLimit } from '../backends/identity_limits.js';
import { byteOrderMarkNote } from './byte_order_mark.js';

export const PROTOCOL = 'qconform-eval/1';

export interface Handshake {
  protocol: string;
  backend: string;
  version: string;
  ops: string[];
  /** Optional narrowing of the claims (docs/protocol.md); `ops` is the member above. */
  capabilities?: Partial<Omit<Capabilities, 'ops'>>;
  /**
   * Tensor encodings the backend reads and writes besides `json` (contract/wire.ts WIRE_ENCODINGS; docs/protocol.md,
   * "Compact tensors"); absent: json only. Names this version does not know are kept and never used.
   */
  encodings?: string[];
  info?: Record<string, unknown>;
}

export class BadHandshake extends Error {
  override readonly name = 'BadHandshake';
}

function shown(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 80)}...` : s;
}

/** The members a handshake may have (docs/protocol.md); free-form provenance goes in `info`. */
const HANDSHAKE_MEMBERS = ['protocol', 'backend', 'version', 'ops', 'capabilities', 'encodings', 'info'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) throw new BadHandshake(`${path} must be an array of strings, got ${shown(value)}`);
  return value as string[];
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new BadHandshake(`${path} must be a non-empty string, got ${shown(value)}`);
  return value;
}

/** The handshake in `line`, or BadHandshake naming what is wrong. */
export function parseHandshake(line: string): Handshake {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BadHandshake(`not JSON${byteOrderMarkNote(line)}: ${shown(line)}`);
  }
  if (!isObject(value)) throw new BadHandshake(`not a JSON object: ${shown(value)}`);
  if (value.protocol !== PROTOCOL) throw new BadHandshake(`protocol must be "${PROTOCOL}", got ${shown(value.protocol)}`);
  const unknownMembers = Object.keys(value).filter((k) => !HANDSHAKE_MEMBERS.includes(k));
  if (unknownMembers.length) throw new BadHandshake(`unknown members ${shown(unknownMembers)} (known: ${HANDSHAKE_MEMBERS.join(', ')}; free-form provenance goes in "info")`);
  const hs: Handshake = {
    protocol: PROTOCOL,
    backend: nonEmptyString(value.backend, 'backend'),
    version: nonEmptyString(value.version, 'version'),
    ops: stringArray(value.ops, 'ops'),
  };
  if (value.capabilities !== undefined) {
    const c = value.capabilities;
    if (!isObject(c)) throw new BadHandshake(`capabilities must be an object, got ${shown(c)}`);
    const caps: Partial<Omit<Capabilities, 'ops'>> = {
      ...(c.schemes !== undefined ? { schemes: stringArray(c.schemes, 'capabilities.schemes') } : {}),
      ...(c.dtypes !== undefined ? { dtypes: stringArray(c.dtypes, 'capabilities.dtypes') } : {}),
      ...(c.accumulator !== undefined ? { accumulator: nonEmptyString(c.accumulator, 'capabilities.accumulator') } : {}),
    };
    const unknown = Object.keys(c).filter((k) => !['schemes', 'dtypes', 'accumulator', 'ops'].includes(k));
    if (unknown.length) throw new BadHandshake(`capabilities has unknown members ${shown(unknown)} (known: schemes, dtypes, accumulator)`);
    if (c.ops !== undefined) throw new BadHandshake('capabilities.ops is not read: list the ops in the top-level "ops"');
    hs.capabilities = caps;
  }
  if (value.encodings !== undefined) hs.encodings = stringArray(value.encodings, 'encodings');
  if (value.info !== undefined) {
    if (!isObject(value.info)) throw new BadHandshake(`info must be an object, got ${shown(value.info)}`);
    hs.info = value.info;
  }
  const over = identityOverLimit({ strings: { backend: hs.backend, version: hs.version }, lists: { ops: hs.ops, 'capabilities.schemes': hs.capabilities?.schemes, 'capabilities.dtypes': hs.capabilities?.dtypes, encodings: hs.encodings }, info: hs.info });
  if (over !== null) throw new BadHandshake(over);
  return hs;
}
