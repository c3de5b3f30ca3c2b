import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** Inside the project, so the bundle's external packages (onnxruntime-node) resolve from node_modules. */
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/qconform-bench');

/** Bundles a bench entry with esbuild (as compiled library code runs) and runs it with node, output inherited. */
export function runBundled(entry: string, args: readonly string[] = []): number {
  const outfile = join(OUT_DIR, 'bench.mjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, external: ['onnxruntime-node', 'onnx-proto'], logLevel: 'error', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
  return spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' }).status ?? 1;
}
