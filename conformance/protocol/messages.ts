/**
 * The messages of docs/protocol.md: a request, its outputs, a response, and typed access to a request's
 * attrs and inputs that turns every wire-format violation into a malformed_request error.
 */
import { QconformError } from '../../contract/errors.js';
import type { F32Tensor, IntTensor, Tensor } from '../../contract/tensor.js';
import { type WireTensor, decodeTensor, expectF32, expectF64, expectInt, hexToF64 } from '../../contract/wire.js';

export interface WireRequest {
  id: string;
  op: string;
  /** the tensor encoding of the response (docs/protocol.md, "Compact tensors"); json when absent */
  encoding?: string;
  attrs?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}

export type WireOutputs = Record<string, WireTensor | number>;
/** An op's outputs before encoding: tensors and integers (evaluateRequest encodes them as the request asks). */
export type TypedOutputs = Record<string, Tensor | number>;
/**
 * id null answers a request whose id could not be read (not JSON, not an object, or no string id). `not_run` (optional)
 * says why the backend's library did not compute this answer (the backend answered in its place, e.g. with the
 * contract's refusal of a request known to kill the library): `qconform run` then reports the case `not-run` when that stand-in is the expected answer (a wrong one fails).
 */
export type WireResponse = { id: string; outputs: WireOutputs; not_run?: string } | { id: string | null; error: { code: string; message: string }; not_run?: string };

/**
 * One section of a request (`attrs` or `inputs`) that records every name a decoder looks up, present or not: after the
 * decoder ran, a present field it never looked up is one its op does not take (refuseUnread). null is "not given"
 * (docs/protocol.md), so a null field is never refused. No method enumerates the section: a decoder reads a field
 * only by its name, so an unknown one cannot count as read.
 */
abstract class RequestSection {
  private readonly looked = new Set<string>();
  /** names looked up only to be refused (histogram_observer@2's upsample_rate): read, yet not fields the op takes */
  private readonly refusing = new Set<string>();
  constructor(
    private readonly raw: Record<string, unknown>,
    protected readonly op: string,
  ) {}
  /** The field's value (undefined when absent), recorded as read. */
  protected field(name: string): unknown {
    this.looked.add(name);
    return Object.hasOwn(this.raw, name) ? this.raw[name] : undefined;
  }
  /** Whether the field is in the section (any value, null too), recorded as read. */
  protected holds(name: string): boolean {
    this.looked.add(name);
    return Object.hasOwn(this.raw, name);
  }
  /** The field's value (undefined when absent), looked up only to refuse any value of it: recorded as read, not as taken. */
  protected refusedField(name: string): unknown {
    this.refusing.add(name);
    return this.field(name);
  }
  /** The names looked up so far, in order, but those looked up to be refused: the fields the op takes (for this request's op and configuration). */
  readNames(): string[] {
    return [...this.looked].filter((name) => !this.refusing.has(name));
  }
  /** The present (not null) fields no decoder looked up, in the request's order. */
  unread(): string[] {
    return Object.keys(this.raw).filter((k) => !this.looked.has(k) && this.raw[k] !== undefined && this.raw[k] !== null);
  }
}

/**
 * A request's attrs. An attribute is "given" when present and not null: null means "not given" for every attribute
 * (docs/protocol.md), read here and nowhere else, so a decoder never sees a null: each optional reader (has, value,
 * optionalInt, f64Or, strOr, bool) takes it as absent and gives the attribute's default, and each required reader (int,
 * f64, str, intPair, required) refuses it as it refuses an absent one, saying the attribute is required.
 */
export class Attrs extends RequestSection {
  /** The attribute's value, undefined when it is not given (absent or null). */
  private given(name: string): unknown {
    const v = this.field(name);
    return v === null ? undefined : v;
  }
  private fail(name: string, v: unknown, detail: string): never {
    const missing = v === undefined || v === null ? `; attrs.${name} is required (absent or null is not given)` : '';
    throw new QconformError('malformed_request', `${this.op}: attrs.${name}`, v, `expected ${detail}${missing}`);
  }
  /** An attribute the op refuses whatever its value (a parameter an older version took): its value, undefined when not given; not listed among the attrs the op takes. */
  refused(name: string): unknown {
    const v = this.refusedField(name);
    return v === null ? undefined : v;
  }
  /** Whether the attribute is given (present and not null). */
  has(name: string): boolean {
    return this.given(name) !== undefined;
  }
  /** An optional attribute's value, undefined when not given (absent or null), for decoders that check its form themselves (lists). */
  value(name: string): unknown {
    return this.given(name);
  }
  /** A required attribute's value, for decoders that check its form themselves; `detail` says what it must be. */
  required(name: string, detail: string): unknown {
    const v = this.given(name);
    return v === undefined ? this.fail(name, this.field(name), detail) : v;
  }
  int(name: string): number {
    const v = this.field(name);
    return Number.isSafeInteger(v) ? (v as number) : this.fail(name, v, 'an integer');
  }
  /** An integer attribute, or null when not given (absent or null). */
  optionalInt(name: string): number | null {
    return this.given(name) === undefined ? null : this.int(name);
  }
  f64(name: string): number {
    const v = this.field(name);
    return v === undefined || v === null ? this.fail(name, v, 'a float64 hex string') : hexToF64(v, `${this.op}: attrs.${name}`);
  }
  /** A float64 attribute, or `fallback` when not given (absent or null). */
  f64Or(name: string, fallback: number): number {
    return this.given(name) === undefined ? fallback : this.f64(name);
  }
  /** A flag, `fallback` when not given (absent or null). */
  bool(name: string, fallback = false): boolean {
    const v = this.given(name) ?? fallback;
    return typeof v === 'boolean' ? v : this.fail(name, v, 'a boolean');
  }
  str<T extends string>(name: string): T {
    const v = this.field(name);
    return typeof v === 'string' ? (v as T) : this.fail(name, v, 'a string');
  }
  /** A string attribute, or `fallback` when not given (absent or null). */
  strOr<T extends string>(name: string, fallback: T): T {
    return this.given(name) === undefined ? fallback : this.str<T>(name);
  }
  /** A required list of float64 hex strings. */
  f64List(name: string): number[] {
    const v = this.field(name);
    return Array.isArray(v) ? v.map((x, k) => hexToF64(x, `${this.op}: attrs.${name}[${k}]`)) : this.fail(name, v, 'a list of float64 hex strings');
  }
  /** A required list of integers. */
  intList(name: string): number[] {
    const v = this.field(name);
    return Array.isArray(v) && v.every((x) => Number.isSafeInteger(x)) ? (v as number[]) : this.fail(name, v, 'a list of integers');
  }
  intPair(name: string): [number, number] {
    const v = this.field(name);
    return Array.isArray(v) && v.length === 2 && v.every((x) => Number.isSafeInteger(x)) ? [v[0], v[1]] : this.fail(name, v, 'a pair of integers');
  }
}

export class Inputs extends RequestSection {
  tensor(name: string): Tensor {
    if (!this.holds(name)) throw new QconformError('malformed_request', `${this.op}: inputs.${name}`, undefined, 'missing input');
    return decodeTensor(this.field(name), `${this.op}: inputs.${name}`);
  }
  f32(name: string) {
    return expectF32(this.tensor(name), `${this.op}: inputs.${name}`);
  }
  f64(name: string) {
    return expectF64(this.tensor(name), `${this.op}: inputs.${name}`);
  }
  int(name: string) {
    return expectInt(this.tensor(name), `${this.op}: inputs.${name}`);
  }
  /** An input that may be absent (or null): null then. */
  optional(name: string): Tensor | null {
    const v = this.field(name);
    return v === undefined || v === null ? null : this.tensor(name);
  }
  intList(name: string): IntTensor[] {
    const list = this.field(name);
    if (!Array.isArray(list)) throw new QconformError('malformed_request', `${this.op}: inputs.${name}`, list, 'a list of tensors');
    return list.map((t, i) => expectInt(decodeTensor(t, `${this.op}: inputs.${name}[${i}]`), `${this.op}: inputs.${name}[${i}]`));
  }
  f32List(name: string): F32Tensor[] {
    const list = this.field(name);
    if (!Array.isArray(list)) throw new QconformError('malformed_request', `${this.op}: inputs.${name}`, list, 'a list of tensors');
    return list.map((t, i) => expectF32(decodeTensor(t, `${this.op}: inputs.${name}[${i}]`), `${this.op}: inputs.${name}[${i}]`));
  }
}
