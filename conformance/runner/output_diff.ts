/**
 * Where a response first differs from a golden case's expected outputs, exactly: the output, the
 * element index, both values (floats as their bit patterns, since bits are what is compared) and the
 * element's tags. Float outputs travel as bit patterns, so string equality is bit equality.
 */
import { formatValue } from '../../contract/errors.js';
import { ownValue } from '../../contract/own_property.js';
import { hexToF32, hexToF64 } from '../../contract/wire.js';
import { float16FromBits } from '../../contract/float_bits.js';
import type { WireOutputs, WireRequest } from '../protocol/messages.js';
import { elementTags } from './element_tags.js';

export interface ElementDifference {
  readonly output: string;
  readonly index: number;
  readonly expected: string;
  readonly got: string;
  readonly tags: readonly string[];
}

export interface OutputDifference {
  readonly message: string;
  readonly element?: ElementDifference;
}

type WireValue = { dtype?: unknown; shape?: unknown; hex?: unknown[]; values?: unknown[] } | number | undefined;

function show(v: unknown, isFloat: boolean): string {
  if (!isFloat || typeof v !== 'string') return String(v);
  const value = v.length === 4 ? float16FromBits(parseInt(v, 16)) : v.length === 8 ? hexToF32(v) : hexToF64(v);
  return `0x${v} (${formatValue(value)})`;
}

function tensorDifference(request: WireRequest, name: string, want: Exclude<WireValue, number | undefined>, got: WireValue): OutputDifference | null {
  if (typeof got !== 'object') return { message: `output ${name}: expected a ${String(want.dtype)} tensor, got ${JSON.stringify(got)}` };
  if (got.dtype !== want.dtype) return { message: `output ${name}: dtype differs: expected ${String(want.dtype)}, got ${String(got.dtype)}` };
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) {
    return { message: `output ${name}: shape differs: expected [${String(want.shape)}], got [${String(got.shape)}]` };
  }
  const isFloat = want.hex !== undefined;
  const a = (want.hex ?? want.values ?? []) as unknown[];
  const b = (got.hex ?? got.values ?? []) as unknown[];
  const index = a.findIndex((x, i) => x !== b[i]);
  if (index < 0) return a.length === b.length ? null : { message: `output ${name}: length differs: expected ${a.length}, got ${b.length}` };
  const element: ElementDifference = {
    output: name,
    index,
    expected: show(a[index], isFloat),
    got: show(b[index], isFloat),
    tags: elementTags(request, String(want.dtype), index, a[index]),
  };
  const tags = element.tags.length ? ` [${element.tags.join(', ')}]` : '';
  return { message: `output ${name}[${index}]: expected ${element.expected}, got ${element.got}${tags}`, element };
}

/** The first difference between expected and actual outputs, or null when they are identical. */
export function outputDifference(request: WireRequest, expected: WireOutputs, got: WireOutputs): OutputDifference | null {
  for (const [name, want] of Object.entries(expected)) {
    const actual = ownValue(got, name) as WireValue;
    if (actual === undefined) return { message: `output ${name} is missing` };
    if (typeof want === 'number') {
      if (actual !== want) return { message: `output ${name}: expected ${want}, got ${JSON.stringify(actual)}` };
      continue;
    }
    const d = tensorDifference(request, name, want, actual);
    if (d) return d;
  }
  // own names only: an answer's output named constructor, toString or __proto__ is unexpected, not inherited
  const extra = Object.keys(got).filter((k) => !Object.hasOwn(expected, k));
  return extra.length ? { message: `unexpected outputs ${extra.join(', ')}` } : null;
}
