/**
 * The argument guard of the library's public op tables (reference/index.ts `reference`, impl/index.ts `impl`): every
 * argument of every op is an object (a tensor, a list of tensors, or the op's attributes or options), so a plain
 * JavaScript caller's null, undefined or primitive gets a typed `malformed_request` naming the op and the argument,
 * not a TypeError from the first property read. The ops' own checks (contract/*_checks.ts, op_checks.ts) then check
 * what is inside. Shape of the rule, from each function's own signature:
 *  - the arguments before the first defaulted one (Function.length) are required: an object, or null where the
 *    contract's type allows it (`nullable`, by argument index);
 *  - a later, optional argument (impl's conv options) is left out (undefined) or an object.
 */
import { validateObject } from './validate.js';

/** The ops whose contract takes null for an argument (contract/ops.ts), by argument index. */
export const NULLABLE_ARGUMENTS: Readonly<Record<string, readonly number[]>> = { decomposedDequantizePerChannel: [2] };

const REQUIRED = 'an object: a tensor { dtype, shape, data }, a list of tensors, or the op\'s attributes';
const OPTIONAL = 'an object (the op\'s options) or left out';

/** `f` behind the guard; `name` names the op in messages. */
function guarded(name: string, f: (...args: unknown[]) => unknown, nullable: readonly number[]): (...args: unknown[]) => unknown {
  const required = f.length;
  return (...args: unknown[]) => {
    for (let i = 0; i < Math.max(args.length, required); i++) {
      const v = args[i];
      if (i >= required && v === undefined) continue;
      if (v === null && nullable.includes(i)) continue;
      validateObject(`${name}: argument ${i + 1}`, v, i < required ? REQUIRED : OPTIONAL);
    }
    return f(...args);
  };
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
