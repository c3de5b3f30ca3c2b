#!/usr/bin/env node
// Entry point of the `qconform` command. It runs the compiled JavaScript of dist/ (`npm run build`; an installed
// package ships it) when dist/build-info.json is newer than every TypeScript source next to it, and otherwise the
// sources through tsx, so a checkout never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = `${ROOT}dist/build-info.json`;
const SOURCE_DIRS = ['contract', 'reference', 'impl', 'conformance'];

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|mjs|py|txt)$/.test(e.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledUpToDate() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  // an installed package has no sources next to dist/
  return SOURCE_DIRS.every((d) => !existsSync(`${ROOT}${d}`) || newestSource(`${ROOT}${d}`) <= built);
}

if (compiledUpToDate()) {
  await import('../dist/conformance/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../conformance/cli/main.ts');
}
