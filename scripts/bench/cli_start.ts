/**
 * CLI start time (issue 15): wall time of `node bin/qconform.mjs --version`, best of `runs`, and which code it ran:
 * dist/'s compiled JavaScript (the installed path, what the target is about) or, with dist/ older than the sources,
 * the TypeScript through tsx (bin/compiled_dist.mjs decides, as bin/qconform.mjs does). `npm run bench` builds dist/
 * first.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compiledDistUpToDate } from '../../bin/compiled_dist.mjs';

export interface CliStart {
  readonly seconds: number;
  readonly entry: 'dist' | 'tsx';
}

export function cliStart(root: string, runs = 5): CliStart {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin/qconform.mjs'), '--version'], { encoding: 'utf8' });
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`qconform --version exited ${r.status}: ${r.stderr}`);
    best = Math.min(best, s);
  }
  return { seconds: best, entry: compiledDistUpToDate(root.endsWith('/') ? root : `${root}/`) ? 'dist' : 'tsx' };
}
