/** CLI start time (issue 15): wall time of `node bin/qconform.mjs --version`, best of `runs`. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function cliStartSeconds(root: string, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin/qconform.mjs'), '--version'], { encoding: 'utf8' });
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`qconform --version exited ${r.status}: ${r.stderr}`);
    best = Math.min(best, s);
  }
  return best;
}
