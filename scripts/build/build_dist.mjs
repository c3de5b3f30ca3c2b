// `npm run build`: compiles contract/, reference/, impl/ and conformance/ to dist/ (JavaScript and .d.ts, tsc with
// tsconfig.build.json), copies the runtime files the compiled backends read next to their code (the torch adapter's
// Python, the CPUID probe, the waiver files, the torch 2.6 chroot runner, which mounts its own backends directory), and writes dist/build-info.json last: bin/qconform.mjs runs dist/ only
// when that stamp is newer than every source file. Deterministic: dist/ is removed first, nothing depends on the clock.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
const RUNTIME_FILES = /(\.py|\.sh|\.waivers\.txt)$/;

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__pycache__' ? [] : filesUnder(path);
    return [path];
  });
}

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
const copied = filesUnder(join(ROOT, 'conformance')).filter((f) => RUNTIME_FILES.test(f));
for (const file of copied) {
  const target = join(DIST, relative(ROOT, file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
writeFileSync(join(DIST, 'build-info.json'), `${JSON.stringify({ built_from: ['contract', 'reference', 'impl', 'conformance'], runtime_files: copied.map((f) => relative(ROOT, f)).sort() }, null, 2)}\n`);
console.log(`dist/: compiled, ${copied.length} runtime files copied`);
