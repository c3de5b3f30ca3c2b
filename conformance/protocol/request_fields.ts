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

/** The refusal of the request being evaluated (withUnreadRefused), run by the guarded ops' methods; null between requests. */
let pendingRefusal: (() => void) | null = null;

/** The guarded twin of each ops object, built at its first request and kept while the object lives (withUnreadRefused). */
const GUARDED = new WeakMap<object, object>();

/**
 * The guarded twin of `ops`: an object inheriting from it (so every other property reads through) with, for each method
 * it has then (own or inherited, enumerable or not), a wrapper that runs the pending refusal and then calls the method
 * `ops` holds at that moment, on `ops`. Built once per ops object: a request then costs a WeakMap lookup, where a Proxy
 * built per request also ran its get trap on every method read. The ops tables (reference, impl, the in-process
 * backends' and the contract-check ops) gain no method after they are built; one added later would be called unguarded
 * (its unread fields still refused after the handler, before the answer: evaluateRequest's last refuse()).
 */
function guarded<T extends object>(ops: T): T {
  const known = GUARDED.get(ops);
  if (known) return known as T;
  const methods = ops as unknown as Record<string, (...args: unknown[]) => unknown>;
  const twin: Record<string, unknown> = Object.create(ops);
  for (let o: object | null = ops; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === 'constructor' || Object.hasOwn(twin, name) || typeof methods[name] !== 'function') continue;
      const wrapper = (...args: unknown[]) => {
        pendingRefusal?.();
        return Reflect.apply(methods[name]!, ops, args);
      };
      // defined, not assigned: an inherited read-only method (a frozen table's) would refuse the assignment
      Object.defineProperty(twin, name, { value: wrapper, enumerable: true });
    }
  }
  GUARDED.set(ops, twin);
  return twin as T;
}

/**
 * Runs `run` on `ops` whose every method first refuses the request's unread fields (`refuse`): a dispatcher's handler
 * decodes all of its op's arguments before it calls the op (JavaScript evaluates a call's arguments before the call),
 * so the refusal comes after the decoding and before any computation, whichever handler runs. `run` is synchronous
 * (evaluateRequest's handlers are); a nested call restores the outer request's refusal when it returns.
 */
export function withUnreadRefused<T extends object, R>(ops: T, refuse: () => void, run: (guardedOps: T) => R): R {
  const outer = pendingRefusal;
  pendingRefusal = refuse;
  try {
    return run(guarded(ops));
  } finally {
    pendingRefusal = outer;
  }
}
