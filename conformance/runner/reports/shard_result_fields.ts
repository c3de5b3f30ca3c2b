/**
 * The fields of one result in a shard report, checked before `qconform merge` uses them: a result the run could not
 * have written (a `location` of null, a verdict no run gives, an `ms` that is text) is refused by name rather than
 * crashing the merge or being counted as something it is not (CaseResult in results.ts is the shape checked).
 */
import { VERDICTS } from '../results.js';

const KNOWN_VERDICTS: ReadonlySet<unknown> = new Set(VERDICTS);

/** A value for a refusal message: its JSON text, cut short (control characters come out escaped). */
function shown(value: unknown): string {
  const text = value === undefined ? 'missing' : (JSON.stringify(value) ?? typeof value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const nonEmptyString = (v: unknown): boolean => isString(v) && v.length > 0;
const optional =
  (check: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === undefined || check(v);
const stringArray = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
/** file:line, as run_case.ts writes it: a file and a line number from 1. */
const fileLine = (v: unknown): boolean => isString(v) && /^.+:[1-9]\d*$/.test(v);
const elementDifference = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  return isString(e.output) && Number.isInteger(e.index) && (e.index as number) >= 0 && isString(e.expected) && isString(e.got) && stringArray(e.tags);
};

/** Each field a result may carry, what it must be, and the rule's wording for a refusal. */
const FIELDS: ReadonlyArray<readonly [string, (v: unknown) => boolean, string]> = [
  ['id', nonEmptyString, 'a non-empty string'],
  ['op', nonEmptyString, 'a non-empty string'],
  ['scheme', isString, 'a string'],
  ['set', optional(isString), 'a string or absent'],
  ['verdict', (v) => KNOWN_VERDICTS.has(v), `one of ${VERDICTS.join(', ')}`],
  ['detail', optional(isString), 'a string or absent'],
  ['element', optional(elementDifference), 'absent or {output, index, expected, got, tags}'],
  ['matchesSchemes', optional(stringArray), 'an array of strings or absent'],
  ['waivedVerdict', optional((v) => KNOWN_VERDICTS.has(v)), `absent or one of ${VERDICTS.join(', ')}`],
  ['location', fileLine, '"FILE:LINE" (the case\'s vector file and line)'],
  ['ms', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a finite number of milliseconds >= 0'],
];

/**
 * What is wrong with one result of a shard report, as `FIELD: VALUE, expected RULE` (the first field that is wrong),
 * or null when it has the fields of a CaseResult that the reports render.
 */
export function resultFieldProblem(result: unknown): string | null {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return `not an object (${shown(result)})`;
  const r = result as Record<string, unknown>;
  for (const [field, valid, rule] of FIELDS) {
    if (!valid(r[field])) return `${field}: ${shown(r[field])}, expected ${rule}`;
  }
  return null;
}
