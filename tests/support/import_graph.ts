/**
 * The project's module graph, built from the static scanner in import_specifiers.ts: one node per .ts
 * file, one edge per relative specifier (a `.js` specifier names its `.ts` source). Cycles are found as
 * the strongly connected components of more than one file, or a file that imports itself (Tarjan).
 */
import { existsSync, readFileSync } from 'node:fs';
import { importSpecifiers, resolveSpecifier, tsFilesUnder } from './import_specifiers.js';

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** The file a resolved specifier names: the path itself, or its .ts source for a .js/.mjs specifier. */
function sourceFile(target: string): string | null {
  for (const candidate of [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/** Edges from every .ts file under `dirs` to the .ts files it imports (anywhere in the tree). */
export function importGraph(dirs: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => tsFilesUnder(d))) {
    const targets = importSpecifiers(readFileSync(file, 'utf8'))
      .map((s) => resolveSpecifier(file, s))
      .map((t) => (t === null ? null : sourceFile(t)))
      .filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle: the strongly connected components with two or more files, and self-imports. */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
