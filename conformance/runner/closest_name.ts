/**
 * The existing name a misspelt one most obviously meant, for a usage error's "did you mean ...?": the one name equal to it
 * but for letter case and leading zeros of its numbers (quantize_per_tensor-0002 for quantize_per_tensor-00002), else
 * the one name nearest to it in edit distance (insertions, deletions, substitutions and swaps of two neighbouring
 * characters, each 1), at most a quarter of its length (at least 1) away. Two names equally near: no obvious one (null).
 */

/** Letter case and leading zeros of digit runs set aside: the forms a misspelling of the same name most often takes. */
const looseForm = (name: string) => name.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, ''));

/**
 * The optimal string alignment distance of `a` and `b` (Levenshtein's distance with a swap of two neighbouring characters
 * as one edit), or `limit + 1` as soon as it is certain to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** The existing name `value` most obviously meant (see above), or null when none is (or `value` is one of `names`). */
export function closestName(value: string, names: Iterable<string>): string | null {
  const loose = looseForm(value);
  const limit = Math.max(1, Math.floor(value.length / 4));
  const sameLoose: string[] = [];
  let nearest: string[] = [];
  let best = limit;
  for (const name of new Set(names)) {
    if (name === value) return null;
    if (looseForm(name) === loose) sameLoose.push(name);
    const d = editDistance(value, name, best);
    if (d < best) [best, nearest] = [d, [name]];
    else if (d === best) nearest.push(name);
  }
  if (sameLoose.length) return sameLoose.length === 1 ? sameLoose[0]! : null;
  return nearest.length === 1 ? nearest[0]! : null;
}
