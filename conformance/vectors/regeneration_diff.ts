/**
 * A vector check's comparison, case by case: when a regenerated file differs from the committed one, which cases
 * differ, in which output elements, and whether each difference is a known, explained deviation of the oracle (its
 * answer is not a function of the inputs, so the committed outputs are kept). The check then says so instead of only
 * naming the file (vector_set_files.ts writeOrCompareVectorSet).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type VectorCase, sha256 } from './vector_set.js';
import type { VectorFiles } from './vector_set_files.js';

/**
 * Why the committed case is kept although the regenerated one differs from it, or null when that difference is not
 * explained. Called only for cases whose request (id, op, attrs, inputs) regenerated unchanged and whose two answers
 * have the same outputs, dtypes and shapes, differing in values only (elementDifferences).
 */
export type KeptDeviation = (committed: VectorCase, regenerated: VectorCase) => string | null;

/** One case whose regenerated line differs from the committed one. */
export interface CaseDifference {
  readonly id: string;
  /** the differing output elements ("y [1,4,3,1]: [7] 255 -> 0 (1 of 12 elements)", at most MAX_ELEMENTS shown), or how the case differs otherwise */
  readonly what: string;
  /** KeptDeviation's reason, or null (the check fails) */
  readonly kept: string | null;
}

const MAX_ELEMENTS = 8;
type Tensor = { dtype?: unknown; shape?: unknown; values?: unknown[]; hex?: unknown[] };

/**
 * The differing elements of two expectations with the same outputs, dtypes, shapes and lengths ("y [1,4,3,1]: [7] 255
 * -> 0, [8] 255 -> 0 (2 of 12 elements)"), or null if they are not such (an error on either side, another output, dtype
 * or shape): only such a difference can be a kept deviation.
 */
function elementDifferences(a: VectorCase['expect'], b: VectorCase['expect']): string | null {
  if (!('outputs' in a) || !('outputs' in b) || Object.keys(a.outputs).join() !== Object.keys(b.outputs).join()) return null;
  const parts: string[] = [];
  for (const [name, want] of Object.entries(a.outputs)) {
    const got = b.outputs[name] as Tensor | number;
    if (typeof want === 'number' || typeof got === 'number') {
      if (want !== got) parts.push(`${name}: ${JSON.stringify(want)} -> ${JSON.stringify(got)}`);
      continue;
    }
    const [x, y] = [(want as Tensor).values ?? (want as Tensor).hex ?? [], got.values ?? got.hex ?? []];
    if ((want as Tensor).dtype !== got.dtype || JSON.stringify((want as Tensor).shape) !== JSON.stringify(got.shape) || x.length !== y.length) return null;
    const at = x.flatMap((v, i) => (v === y[i] ? [] : [i]));
    if (at.length === 0) continue;
    const shown = at.slice(0, MAX_ELEMENTS).map((i) => `[${i}] ${String(x[i])} -> ${String(y[i])}`).join(', ');
    parts.push(`${name} [${String((want as Tensor).shape)}]: ${shown}${at.length > MAX_ELEMENTS ? ', ...' : ''} (${at.length} of ${x.length} elements)`);
  }
  return parts.join('; ');
}

/**
 * The cases of one file that differ between the committed text and the regenerated one; null when the two do not hold
 * the same case ids in the same order (then only the file can be named).
 */
export function differingCases(committedText: string, regeneratedText: string, kept: KeptDeviation): CaseDifference[] | null {
  const lines = (t: string) => t.split('\n').filter((l) => l !== '');
  const [old, now] = [lines(committedText), lines(regeneratedText)];
  if (old.length !== now.length) return null;
  const out: CaseDifference[] = [];
  for (let i = 0; i < old.length; i++) {
    if (old[i] === now[i]) continue;
    const [a, b] = [JSON.parse(old[i]!) as VectorCase, JSON.parse(now[i]!) as VectorCase];
    if (a.id !== b.id) return null;
    const { expect: ea, ...ra } = a;
    const { expect: eb, ...rb } = b;
    if (JSON.stringify(ra) !== JSON.stringify(rb)) {
      out.push({ id: a.id, what: 'the request itself differs (attrs or inputs): the generator changed', kept: null });
      continue;
    }
    const elements = elementDifferences(ea, eb);
    if (elements === null) out.push({ id: a.id, what: `expect ${JSON.stringify(ea).slice(0, 200)} -> ${JSON.stringify(eb).slice(0, 200)}`, kept: null });
    else out.push({ id: a.id, what: elements, kept: kept(a, b) });
  }
  return out;
}

/**
 * Compare the regenerated texts with `dir` (the check of writeOrCompareVectorSet), naming every differing case. Exit
 * 0 when every file is byte-identical, or when every difference is a whole case (same request) that `kept` explains:
 * those are printed, each with its reason, and the committed outputs stand. Otherwise exit 1 after
 * "differ: <files>".
 */
export function compareRegeneratedSet(dir: string, texts: ReadonlyMap<string, string>, kept: KeptDeviation, log: (s: string) => void): number {
  const unexplained: string[] = [];
  let keptCount = 0;
  for (const [name, text] of texts) {
    let committed: string;
    try {
      committed = readFileSync(join(dir, name), 'utf8');
    } catch {
      unexplained.push(name);
      log(`${name}: no committed file`);
      continue;
    }
    if (committed === text) continue;
    const cases = differingCases(committed, text, kept);
    if (cases === null) {
      unexplained.push(name);
      log(`${name}: the case ids or their number differ from the committed file`);
      continue;
    }
    log(`${name}: ${cases.length} case(s) differ from the committed ones`);
    for (const c of cases) {
      log(`  ${c.id}: ${c.what}`);
      log(c.kept ? `    known, committed outputs kept: ${c.kept}` : '    not explained');
    }
    if (cases.some((c) => c.kept === null)) unexplained.push(name);
    else keptCount += cases.length;
  }
  if (unexplained.length > 0) {
    log(`differ: ${unexplained.join(', ')}`);
    return 1;
  }
  log(keptCount === 0
    ? `regenerated vectors are byte-identical to the committed ones in ${dir}`
    : `regenerated vectors are byte-identical to the committed ones in ${dir} except the ${keptCount} case(s) above, whose oracle answers are not a function of their inputs (committed outputs kept)`);
  return 0;
}

/**
 * What a rewrite (`--write`) of `dir` writes: the regenerated files, except that each case whose regenerated answer
 * differs from the committed one only as `kept` explains (its oracle's answer is not a function of its inputs, e.g.
 * torch 2.6's onednn convs that read unwritten memory on this host: torch26_kept_deviation.ts) keeps its committed
 * line, each such case logged with its reason, and its file's manifest entry hashes the text written. So a rewrite on a
 * host whose oracle gives such answers cannot record them. Every other difference is written as regenerated (the
 * rewrite is how the set changes).
 */
export function keepKnownDeviations(dir: string, regenerated: VectorFiles, kept: KeptDeviation, log: (s: string) => void): VectorFiles {
  const texts = new Map<string, string>();
  for (const [name, text] of regenerated.texts) {
    let committed: string;
    try {
      committed = readFileSync(join(dir, name), 'utf8');
    } catch {
      texts.set(name, text);
      continue;
    }
    const keptCases = committed === text ? [] : (differingCases(committed, text, kept) ?? []).filter((c) => c.kept !== null);
    if (keptCases.length === 0) {
      texts.set(name, text);
      continue;
    }
    const keep = new Set(keptCases.map((c) => c.id));
    const old = new Map(committed.split('\n').filter((l) => l !== '').map((l) => [(JSON.parse(l) as VectorCase).id, l]));
    texts.set(name, text.split('\n').map((l) => {
      const id = l === '' ? null : (JSON.parse(l) as VectorCase).id;
      return id !== null && keep.has(id) ? old.get(id)! : l;
    }).join('\n'));
    for (const c of keptCases) log(`${name}: ${c.id}: the oracle gave ${c.what}; committed outputs kept, not rewritten: ${c.kept}`);
  }
  // a kept line changes its file: the manifest entry hashes what is written
  const files = regenerated.files.map((f) => (texts.get(f.path) === regenerated.texts.get(f.path) ? f : { ...f, sha256: sha256(texts.get(f.path)!) }));
  return { texts, files };
}
