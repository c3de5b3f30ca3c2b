import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import { float32BitsOf, float64BitsOf } from '../../contract/float_bits.js';
import type { IntData } from '../../contract/tensor.js';

/** What one side of an agreement check produced: an output, or the code of the QconformError it threw. */
export type Outcome<T> = { readonly kind: 'output'; readonly value: T } | { readonly kind: 'error'; readonly code: ErrorCode };

/** Runs an op; a QconformError becomes an error outcome, anything else thrown is a bug and propagates. */
export function outcomeOf<T>(side: string, thunk: () => T): Outcome<T> {
  try {
    return { kind: 'output', value: thunk() };
  } catch (e) {
    if (isQconformError(e)) return { kind: 'error', code: e.code };
    throw new Error(`${side} threw something other than a QconformError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

function describeOutcome(o: Outcome<unknown>): string {
  return o.kind === 'error' ? `error ${o.code}` : 'an output';
}

/**
 * Runs the same op on reference and impl and requires the same result, bit for bit: float32 and float64
 * tensors compare their bit patterns (NaN payloads and signed zeros included), integer tensors their values,
 * dtypes and shapes exactly; when either side throws a QconformError the other must throw the same code.
 * Returns the reference outcome so a property can tally what it exercised.
 */
export function expectSameResult<T>(referenceRun: () => T, implRun: () => T): Outcome<T> {
  const ref = outcomeOf('reference', referenceRun);
  const imp = outcomeOf('impl', implRun);
  if (ref.kind === 'error' || imp.kind === 'error') {
    if (ref.kind !== imp.kind || (ref.kind === 'error' && imp.kind === 'error' && ref.code !== imp.code)) {
      throw new Error(`reference gave ${describeOutcome(ref)}, impl gave ${describeOutcome(imp)}`);
    }
    return ref;
  }
  expectSameValue(ref.value, imp.value as unknown, 'output');
  return ref;
}

type TypedData = Float32Array | Float64Array | IntData;

function isTypedData(v: unknown): v is TypedData {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Int8Array;
}

/** float32, float64, or integer values whatever their storage (Int32Array or compact Uint8Array / Int8Array). */
function dataKind(d: TypedData): string {
  return d instanceof Float32Array ? 'Float32Array' : d instanceof Float64Array ? 'Float64Array' : 'integer data';
}

/** The identity of one element: bits for floats, the value for integers. */
function elementIdentity(data: TypedData, i: number): string {
  const v = data[i] as number;
  if (data instanceof Float32Array) return `${v} (0x${float32BitsOf(v).toString(16).padStart(8, '0')})`;
  if (data instanceof Float64Array) return `${v} (0x${float64BitsOf(v).toString(16).padStart(16, '0')})`;
  return String(v);
}

function expectSameData(ref: TypedData, imp: TypedData, path: string): void {
  if (dataKind(ref) !== dataKind(imp)) throw new Error(`${path}: reference holds ${ref.constructor.name}, impl ${imp.constructor.name}`);
  if (ref.length !== imp.length) throw new Error(`${path}: reference has ${ref.length} elements, impl ${imp.length}`);
  for (let i = 0; i < ref.length; i++) {
    const [r, m] = [elementIdentity(ref, i), elementIdentity(imp, i)];
    if (r !== m) throw new Error(`${path}[${i}]: reference ${r}, impl ${m}`);
  }
}

function expectSameValue(ref: unknown, imp: unknown, path: string): void {
  if (isTypedData(ref) && isTypedData(imp)) return expectSameData(ref, imp, path);
  if (typeof ref === 'number' && typeof imp === 'number') {
    if (!Object.is(ref, imp)) throw new Error(`${path}: reference ${ref}, impl ${imp}`);
    return;
  }
  if (Array.isArray(ref) && Array.isArray(imp)) {
    // shapes: compared whole so the message shows both
    if (JSON.stringify(ref) !== JSON.stringify(imp)) throw new Error(`${path}: reference ${JSON.stringify(ref)}, impl ${JSON.stringify(imp)}`);
    return;
  }
  if (typeof ref === 'object' && ref !== null && typeof imp === 'object' && imp !== null) {
    const [refKeys, implKeys] = [Object.keys(ref).sort(), Object.keys(imp).sort()];
    if (refKeys.join() !== implKeys.join()) throw new Error(`${path}: reference has fields ${refKeys}, impl ${implKeys}`);
    for (const k of refKeys) expectSameValue((ref as Record<string, unknown>)[k], (imp as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  if (ref !== imp) throw new Error(`${path}: reference ${String(ref)}, impl ${String(imp)}`);
}
