/**
 * Lookups keyed by outside data (a vector file's output names, a backend's output names, a request's attribute
 * names, an expected error code) in plain-object tables: only the table's own entries count (Object.hasOwn).
 * `key in table` and `table[key]` also find what every object inherits (`constructor`, `toString`, `__proto__`, ...),
 * which turned an expected output named `constructor` into a crash and an error code `toString` into a known code.
 */

/** `table[key]` when `key` is an own property of `table`, else undefined (also for an absent table). */
export function ownValue<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
