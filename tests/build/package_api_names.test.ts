import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/runner_fixtures.js';

/**
 * The README's "Use it as a package" table names, per entry point, what a user imports from it: every name it
 * documents (value or type) must be exported by that entry point's source (package.json `exports`, dist/ -> .ts),
 * and `qconform` exports all of them. scripts/package/check_package.sh type-checks a few against the packed tarball.
 */
const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const exportsMap = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> }).exports;

/** Each table row under "Use it as a package": the entry points of its first cell, the backticked identifiers of its second. */
function documentedNames(): Map<string, string[]> {
  const section = readme.slice(readme.indexOf('## Use it as a package'));
  const table = section.slice(section.indexOf('| import from |'), section.indexOf('\n\n', section.indexOf('| import from |')));
  const rows = new Map<string, string[]>();
  for (const line of table.split('\n').slice(2)) {
    const [entries = '', what = ''] = line.split('|').slice(1, 3);
    const names = [...what.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!);
    const named = [...entries.matchAll(/`(qconform[^`]*)`/g)].map((m) => m[1]!);
    // a row of several entry points names one export each, in the same order (`reference` and `impl`)
    if (named.length > 1 && names.length !== named.length) throw new Error(`README row ${line}: ${named.length} entry points, ${names.length} names`);
    named.forEach((entry, i) => rows.set(entry, named.length > 1 ? [names[i]!] : names));
  }
  return rows;
}

function sourceOf(entry: string): string {
  const target = exportsMap[entry === 'qconform' ? '.' : entry.replace(/^qconform/, '.')];
  const js = typeof target === 'string' ? target : target?.default;
  if (!js) throw new Error(`package.json exports has no ${entry}`);
  return join(PROJECT_ROOT, js.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

const documented = documentedNames();
// 'all of the above': qconform is checked for every other row's names
documented.set('qconform', [...documented].filter(([e]) => e !== 'qconform').flatMap(([, names]) => names));
const CHECK_DIR = join(PROJECT_ROOT, '.tmp', 'package_api_names');

/**
 * The documented names tsc cannot find in their entry point (TypeScript 7's tsc has no compiler API: one
 * `export type { name } from '<entry source>'` line per name, for values and types alike, and tsc's TS2305 lines).
 */
function missingNames(): Map<string, string[]> {
  const lines = [...documented].flatMap(([entry, names]) => names.map((name) => ({ entry, name })));
  mkdirSync(CHECK_DIR, { recursive: true });
  const rel = (entry: string) => relative(CHECK_DIR, sourceOf(entry)).replace(/\.ts$/, '.js');
  writeFileSync(join(CHECK_DIR, 'names.ts'), lines.map((l, i) => `export type { ${l.name} as n${i} } from '${rel(l.entry)}';\n`).join(''));
  writeFileSync(join(CHECK_DIR, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: [], files: ['names.ts'] }));
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(CHECK_DIR, 'tsconfig.json')], { encoding: 'utf8' });
  const missing = new Map<string, string[]>();
  for (const m of r.stdout.matchAll(/names\.ts\((\d+),\d+\): error TS\d+: (.*)/g)) {
    const l = lines[Number(m[1]) - 1]!;
    missing.set(l.entry, [...(missing.get(l.entry) ?? []), l.name]);
  }
  if (r.status !== 0 && missing.size === 0) throw new Error(`tsc failed outside the names file:\n${r.stdout}${r.stderr}`);
  return missing;
}

describe("the README's package entry points", () => {
  it('document the entry points package.json exports, with names in each', () => {
    expect([...documented.keys()].sort()).toEqual(['qconform', 'qconform/backend', 'qconform/impl', 'qconform/reference', 'qconform/runner', 'qconform/wire']);
    for (const [entry, names] of documented) expect(names.length, entry).toBeGreaterThan(0);
    expect(documented.get('qconform')).toEqual(expect.arrayContaining(['byteTensor', 'IntTensor', 'IntData']));
  });

  it('each export every name the README lists for it (qconform: all of them)', () => {
    expect(Object.fromEntries(missingNames()), 'README names these, the entry point does not export them').toEqual({});
  }, 120_000);
});
