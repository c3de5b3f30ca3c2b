// Whether dist/ holds the compiled JavaScript of this checkout's current sources: dist/build-info.json (written last by
// `npm run build`, scripts/build/build_dist.mjs) is newer than every TypeScript, Python and text source of the four
// compiled layers. An installed package has no sources next to dist/, so its dist/ is current. bin/qconform.mjs runs
// dist/ only then (else the sources through tsx); `npm run bench` says which of the two its CLI start time measured.
import { existsSync, readdirSync, statSync } from 'node:fs';

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

/** `root`: the package root, ending in a slash. */
export function compiledDistUpToDate(root) {
  const stamp = `${root}dist/build-info.json`;
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return SOURCE_DIRS.every((d) => !existsSync(`${root}${d}`) || newestSource(`${root}${d}`) <= built);
}
