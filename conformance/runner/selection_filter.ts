/**
 * `--op`, `--scheme` and `--case` values (and `--op` under `--fuzz`) that select nothing: each is a usage error, refused
 * before any backend starts, naming every such value and the existing name it most obviously meant (closest_name.ts).
 * A misspelt value was silently dropped before (`--case quantize_per_tensor-00001 quantize_per_tensor-0002` ran one
 * case and passed); only a wholly empty selection was refused.
 */
import { closestName } from './closest_name.js';

export type FilterOption = '--op' | '--scheme' | '--case';

/** Whether `--op value` selects op `op`: its full name (quantize_per_tensor@1) or its name without the version. */
export function opSelectedBy(op: string, value: string): boolean {
  return op === value || op.split('@')[0] === value;
}

/** A value of a filter option that selects nothing, and the existing name it most obviously meant (or null). */
export interface UnmatchedValue {
  readonly option: FilterOption;
  readonly value: string;
  readonly closest: string | null;
}

/** At most this many unmatched values get a closest name (each one scans every existing name). */
const MAX_SUGGESTED = 20;

/** Whether `value` of `option` selects one of `names` (an --op value by opSelectedBy, the others as they are). */
const selectsOne = (option: FilterOption, value: string, names: ReadonlySet<string>) => (option === '--op' ? [...names].some((op) => opSelectedBy(op, value)) : names.has(value));

/** The values of one option that select none of `names` (the existing ops, schemes or case ids), each with its closest name. */
export function unmatchedValues(option: FilterOption, values: readonly string[] | undefined, names: ReadonlySet<string>): UnmatchedValue[] {
  const unmatched = [...new Set(values ?? [])].filter((value) => !selectsOne(option, value, names));
  return unmatched.map((value, i) => ({ option, value, closest: i < MAX_SUGGESTED ? closestName(value, option === '--op' ? opCandidates(value, names) : names) : null }));
}

/** The op names an --op value is compared with: the full names when it carries a version (@1), else the names without one. */
function opCandidates(value: string, ops: ReadonlySet<string>): Set<string> {
  return value.includes('@') ? new Set(ops) : new Set([...ops].map((op) => op.split('@')[0]!));
}

/** A usage error (exit 2): filter values that select nothing of `where` (the vector sets loaded, or the fuzz catalogue). */
export class UnmatchedSelection extends Error {
  override readonly name = 'UnmatchedSelection';
  constructor(
    readonly unmatched: readonly UnmatchedValue[],
    where: string,
  ) {
    const each = unmatched.map((u) => `${u.option} ${JSON.stringify(u.value)}${u.closest === null ? '' : ` (did you mean ${JSON.stringify(u.closest)}?)`}`);
    super(`${each.join(', ')} select${unmatched.length === 1 ? 's' : ''} nothing: no ${where} matches ${unmatched.length === 1 ? 'it' : 'them'}`);
  }
}

/** Throws UnmatchedSelection when any value selects nothing. */
export function refuseUnmatched(unmatched: readonly UnmatchedValue[], where: string): void {
  if (unmatched.length) throw new UnmatchedSelection(unmatched, where);
}
