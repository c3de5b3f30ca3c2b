/**
 * A small static scanner of module specifiers in TypeScript source: static imports (including
 * `import type` and side-effect imports), `export ... from`, dynamic `import()` and `require()`.
 * Comments are removed first, so prose that mentions a module is not taken for an import.
 */
import { readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

const SPECIFIER_PATTERNS: readonly RegExp[] = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g, // import x from '...', export { x } from '...'
  /\bimport\s*(['"])([^'"]+)\1/g, // import '...'
  /\bimport\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g, // import('...')
  /\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g, // require('...')
];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Every module specifier the source imports or re-exports, in pattern order. */
export function importSpecifiers(source: string): string[] {
  const code = stripComments(source);
  return SPECIFIER_PATTERNS.flatMap((pattern) => Array.from(code.matchAll(pattern), (m) => m[2] as string));
}

/** The file a relative or absolute specifier names, or null for a bare specifier (a package, node:*). */
export function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return resolve(dirname(fromFile), specifier);
  return null;
}

export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The specifiers of `source` (the text of `fromFile`) that resolve into `forbiddenDir`. */
export function importsInto(fromFile: string, source: string, forbiddenDir: string): string[] {
  return importSpecifiers(source).filter((s) => {
    const target = resolveSpecifier(fromFile, s);
    return target !== null && isInside(forbiddenDir, target);
  });
}

/** Every .ts file under `dir`, recursively. */
export function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}
