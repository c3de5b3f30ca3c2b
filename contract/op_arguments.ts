/**
 * The argument guard of the library's public op tables (reference/index.ts `reference`, impl/index.ts `impl`): every
 * argument of every op is an object (a tensor, a list of tensors, or the op's attributes or options), so a plain
 * JavaScript caller's null, undefined or primitive gets a typed `malformed_request` naming the op and the argument,
 * not a TypeError from the first property read; so does a missing or primitive tensor field of an op that takes one
 * argument object (op_tensor_fields.ts), and a mistyped number, boolean or number-list field of one (op_scalar_fields.ts).
 * The ops' own checks (contract/*_checks.ts, op_checks.ts) then check what is
 * inside. Shape of the rule, from each function's own signature:
 *  - the arguments before the first defaulted one (Function.length) are required: an object, or null where the
 *    contract's type allows it (`nullable`, by argument index);
 *  - a later, optional argument (impl's conv options) is left out (undefined) or an object.
 */
import { OP_SCALAR_FIELDS, type ScalarFields, type ScalarKind } from './op_scalar_fields.js';
import { OP_TENSOR_FIELDS, type TensorFields } from './op_tensor_fields.js';
import { A_TENSOR, isPresentTensor, validateBoolean, validateList, validateNumber, validateObject } from './validate.js';

/** The ops whose contract takes null for an argument (contract/ops.ts), by argument index. */
export const NULLABLE_ARGUMENTS: Readonly<Record<string, readonly number[]>> = { decomposedDequantizePerChannel: [2] };

const REQUIRED = 'an object: a tensor { dtype, shape, data }, a list of tensors, or the op\'s attributes';
const OPTIONAL = 'an object (the op\'s options) or left out';

/** The tensor fields of an op's argument object: each required one an object, each optional one null or an object. */
function checkTensorFields(name: string, a: Readonly<Record<string, unknown>>, fields: TensorFields): void {
  for (const field of fields.required) validateObject(`${name}: ${field}`, a[field], A_TENSOR);
  for (const field of fields.optional) isPresentTensor(`${name}: ${field}`, a[field]);
}

/** A list of numbers (a stride, pads, kernel shape, LSTM activation parameters), each one a JavaScript number. */
function validateNumbers(what: string, v: unknown): void {
  validateList(what, v, 'a list of numbers');
  v.forEach((x, i) => validateNumber(`${what}[${i}]`, x));
}

const SCALAR_CHECKS: Readonly<Record<ScalarKind, (what: string, v: unknown) => void>> = {
  number: validateNumber,
  'number|null': (what, v) => v === null || validateNumber(what, v),
  boolean: validateBoolean,
  numbers: validateNumbers,
  'numbers|null': (what, v) => v === null || validateNumbers(what, v),
};

/** The number, boolean and number-list fields of an op's argument object, each of its JavaScript type (op_scalar_fields.ts). */
function checkScalarFields(name: string, a: Readonly<Record<string, unknown>>, fields: ScalarFields): void {
  for (const [kind, names] of Object.entries(fields) as Array<[ScalarKind, readonly string[]]>) for (const field of names) SCALAR_CHECKS[kind](`${name}: ${field}`, a[field]);
}

/** `f` behind the guard; `name` names the op in messages. */
function guarded(name: string, f: (...args: unknown[]) => unknown, nullable: readonly number[]): (...args: unknown[]) => unknown {
  const required = f.length;
  const fields: TensorFields | undefined = (OP_TENSOR_FIELDS as Readonly<Record<string, TensorFields>>)[name];
  const scalars: ScalarFields | undefined = (OP_SCALAR_FIELDS as Readonly<Record<string, ScalarFields>>)[name];
  const checked = (...args: unknown[]) => {
    for (let i = 0; i < Math.max(args.length, required); i++) {
      const v = args[i];
      if (i >= required && v === undefined) continue;
      if (v === null && nullable.includes(i)) continue;
      validateObject(`${name}: argument ${i + 1}`, v, i < required ? REQUIRED : OPTIONAL);
    }
    // argument 1 of a one-object op is required (Function.length 1), so the loop above found it an object
    if (fields) checkTensorFields(name, args[0] as Readonly<Record<string, unknown>>, fields);
    if (scalars) checkScalarFields(name, args[0] as Readonly<Record<string, unknown>>, scalars);
    return f(...args);
  };
  return Object.defineProperty(checked, 'length', { value: required });
}

/**
 * `ops` with every function behind the guard. `nullable[op]`: the indices of that op's arguments the contract
 * allows to be null (decomposedDequantizePerChannel's zero points).
 */
export function withArgumentChecks<T extends object>(ops: T, nullable: Readonly<Record<string, readonly number[]>> = NULLABLE_ARGUMENTS): T {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(ops as Readonly<Record<string, unknown>>)) out[name] = typeof f === 'function' ? guarded(name, f as (...args: unknown[]) => unknown, nullable[name] ?? []) : f;
  return out as T;
}
