/**
 * The layers of the tree, and that imports run one way (README "Layout"):
 *   contract/ -> reference/, impl/ -> conformance/ -> scripts/
 * Each folder may import only its own layer and the layers before it; tests/ may import any product
 * layer but never scripts/. And no import cycle anywhere, type-only imports included.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../support/import_graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LAYERS = ['contract', 'reference', 'impl', 'conformance', 'scripts', 'tests'] as const;
type Layer = (typeof LAYERS)[number];

/** What each top-level folder may import (besides packages and node:*). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  contract: ['contract'],
  reference: ['contract', 'reference'],
  impl: ['contract', 'impl'],
  conformance: ['contract', 'reference', 'impl', 'conformance'],
  scripts: ['contract', 'reference', 'impl', 'conformance', 'scripts'],
  tests: ['contract', 'reference', 'impl', 'conformance', 'tests'],
};

const layerOf = (file: string): string => relative(ROOT, file).split(/[\\/]/)[0] as string;
const graph = importGraph(LAYERS.map((l) => join(ROOT, l)));
const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

describe('layering', () => {
  it('scans the whole tree (not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(250);
    expect(edges.length).toBeGreaterThan(1000);
    for (const layer of LAYERS) expect(edges.some((e) => layerOf(e.from) === layer), layer).toBe(true);
  });

  it.each(LAYERS)('%s/ imports only the layers before it', (layer) => {
    const uphill = edges
      .filter((e) => layerOf(e.from) === layer && !MAY_IMPORT[layer].includes(layerOf(e.to) as Layer))
      .map((e) => `${relative(ROOT, e.from)} -> ${relative(ROOT, e.to)}`);
    expect(uphill).toEqual([]);
  });

  it('nothing outside scripts/ imports scripts/', () => {
    const intoScripts = edges.filter((e) => layerOf(e.to) === 'scripts' && layerOf(e.from) !== 'scripts');
    expect(intoScripts.map((e) => relative(ROOT, e.from))).toEqual([]);
  });
});

describe('import cycles', () => {
  it('the detector finds a cycle, a self-import and none in a chain', () => {
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(importCycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('there is none in the tree', () => {
    expect(importCycles(graph).map((c) => c.map((f) => relative(ROOT, f)))).toEqual([]);
  });
});
