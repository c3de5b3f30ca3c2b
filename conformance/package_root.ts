/**
 * The qconform package's root folder (where package.json, vectors/ and the native sources are), found the
 * same way from the TypeScript sources (conformance/...) and from the compiled JavaScript (dist/conformance/...):
 * the nearest folder above this file whose package.json is named "qconform".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'qconform') return dir;
    if (dirname(dir) === dir) throw new Error(`no qconform package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Whether this code runs as the compiled JavaScript of dist/ (npm run build) rather than from the TypeScript sources. */
export const RUNNING_COMPILED = import.meta.url.endsWith('.js');
