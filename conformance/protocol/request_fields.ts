/**
 * The one check that a request carries no field its op does not take (docs/protocol.md, "Fields an op does not take"):
 * Attrs and Inputs (messages.ts) record every name a decoder looks up; what is present and was never looked up is
 * refused, once the request is decoded and before anything computes. Used by evaluateRequest (dispatch.ts) and by
 * the backends that forward a request to a real library (ORT, LiteRT, TOSA adapters).
 */
import { QconformError } from '../../contract/errors.js';
import { Attrs, Inputs } from './messages.js';

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A request's `attrs` or `inputs` (`v`): absent (then empty) or a JSON object, else malformed_request. */
export function requestSection(v: unknown, name: 'attrs' | 'inputs', op: string): Record<string, unknown> {
  const s = v ?? {};
  if (!isJsonObject(s)) throw new QconformError('malformed_request', `${op}: ${name}`, s, `${name} is a JSON object`);
  return s;
}

/**
 * Refuses (malformed_request) the first present field of the request's inputs, then of its attrs, that the op's decoder
 * never looked up: a field the op does not take (a misnamed input, `B` for `bias`, would otherwise be computed as an
 * absent optional one and answered as if correct). Called once the request is decoded, before the op computes.
 */
export function refuseUnread(op: string, a: Attrs, i: Inputs): void {
  for (const [section, fields] of [['inputs', i], ['attrs', a]] as const) {
    const name = fields.unread()[0];
    if (name === undefined) continue;
    const takes = fields.readNames();
    const noun = section === 'inputs' ? 'input' : 'attribute';
    throw new QconformError('malformed_request', `${op}: ${section}.${name}`, name, `${op} takes no ${noun} ${name}; its ${section}: ${takes.length ? takes.join(', ') : 'none'}`);
  }
}

const UNREAD = / takes no (input|attribute) (\S+); its (?:inputs|attrs): /;

/** The section and name of the field a refuseUnread refusal (its message) names, or null for any other message. */
export function unreadFieldOf(message: string): { section: 'inputs' | 'attrs'; name: string } | null {
  const m = UNREAD.exec(message);
  return m ? { section: m[1] === 'input' ? 'inputs' : 'attrs', name: m[2]! } : null;
}

/**
 * Decodes a request's attrs and inputs with `decode` and refuses any field it did not read (refuseUnread): the one way
 * a request is decoded, by the dispatchers and by the adapters that forward a request to a real library.
 */
export function decodeRequest<T>(op: string, attrs: unknown, inputs: unknown, decode: (a: Attrs, i: Inputs) => T): T {
  const a = new Attrs(requestSection(attrs, 'attrs', op), op);
  const i = new Inputs(requestSection(inputs, 'inputs', op), op);
  const decoded = decode(a, i);
  refuseUnread(op, a, i);
  return decoded;
}

/**
 * `ops` whose every method first refuses the request's unread fields (`refuse`): a dispatcher's handler decodes all of
 * its op's arguments before it calls the op (JavaScript evaluates a call's arguments before the call), so the refusal
 * comes after the decoding and before any computation, whichever handler runs.
 */
export function refusingUnread<T extends object>(ops: T, refuse: () => void): T {
  return new Proxy(ops, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        refuse();
        return Reflect.apply(v, target, args);
      };
    },
  });
}
