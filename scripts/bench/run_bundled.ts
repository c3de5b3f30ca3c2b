import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync } from 'esbuild';

/** Inside the project, so the bundle's external packages (onnxruntime-node, @litertjs/core: it loads its wasm from its own folder) resolve from node_modules. */
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/qconform-bench');

/** impl's conv worker (impl/conv/parallel/conv_pool.ts): a bundle starts it as conv_worker.js next to itself. */
const CONV_WORKER = join(dirname(fileURLToPath(import.meta.url)), '../../impl/conv/parallel/conv_worker.ts');

/**
 * Bundles a bench entry with esbuild (as compiled library code runs), and with `o.convWorker` impl's conv worker beside
 * it (for an entry that runs quantizedConv2dParallel), and runs it with node, output inherited. The bundles' folder
 * carries the process id (worktrees may share node_modules), and the banner's createRequire is renamed (bundled modules
 * import createRequire themselves).
 */
export function runBundled(entry: string, args: readonly string[] = [], o: { convWorker?: boolean } = {}): number {
  const dir = join(OUT_DIR, `bench-${process.pid}`);
  const outfile = join(dir, 'bench.mjs');
  const options: BuildOptions = { bundle: true, platform: 'node', format: 'esm', external: ['onnxruntime-node', 'onnx-proto', '@litertjs/core'], logLevel: 'error', banner: { js: "import { createRequire as qconformBannerRequire } from 'node:module'; const require = qconformBannerRequire(import.meta.url);" } };
  buildSync({ ...options, entryPoints: [entry], outfile });
  if (o.convWorker === true) buildSync({ ...options, entryPoints: [CONV_WORKER], outfile: join(dir, 'conv_worker.js') });
  try {
    return spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' }).status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
