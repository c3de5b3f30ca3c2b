/**
 * `npm run build` (run first by `npm test`) puts next to the compiled backends every non-TypeScript file they read
 * beside their own code: a compiled backend that finds its script or adapter missing cannot start (the torch 2.6
 * built-ins once failed in CI with `spawn .../dist/.../run_in_torch26_chroot.sh ENOENT`).
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const RUNTIME_FILES = /(\.py|\.sh|\.waivers\.txt)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__pycache__' ? [] : filesUnder(path);
    return [path];
  });
}

describe('dist/ holds the runtime files of conformance/', () => {
  const sources = filesUnder('conformance').filter((f) => RUNTIME_FILES.test(f));

  it('finds them (not vacuous): the torch adapter, the chroot runner, the waivers', () => {
    expect(sources).toContain(join('conformance', 'backends', 'torch', 'run_in_torch26_chroot.sh'));
    expect(sources).toContain(join('conformance', 'backends', 'torch', 'python', 'qconform_torch.py'));
    expect(sources.filter((f) => f.endsWith('.waivers.txt')).length).toBeGreaterThan(0);
  });

  it.runIf(existsSync('dist/build-info.json'))('every one is copied, scripts still executable', () => {
    for (const f of sources) {
      const target = join('dist', relative('.', f));
      expect(existsSync(target), target).toBe(true);
      if (f.endsWith('.sh')) expect(() => accessSync(target, constants.X_OK), `${target} is executable`).not.toThrow();
    }
  });
});
