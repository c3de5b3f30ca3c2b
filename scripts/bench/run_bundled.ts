import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** Inside the project, so the bundle's external packages (onnxruntime-node, @litertjs/core: it loads its wasm from its own folder) resolve from node_modules. */
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/qconform-bench');

/**
 * Bundles a bench entry with esbuild (as compiled library code runs) and runs it with node, output inherited. The
 * bundle's name carries the process id (worktrees may share node_modules), and the banner's createRequire is
 * renamed (bundled modules import createRequire themselves).
 */
export function runBundled(entry: string, args: readonly string[] = []): number {
  const outfile = join(OUT_DIR, `bench-${process.pid}.mjs`);
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, external: ['onnxruntime-node', 'onnx-proto', '@litertjs/core'], logLevel: 'error', banner: { js: "import { createRequire as qconformBannerRequire } from 'node:module'; const require = qconformBannerRequire(import.meta.url);" } });
  try {
    return spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' }).status ?? 1;
  } finally {
    rmSync(outfile, { force: true });
  }
}
