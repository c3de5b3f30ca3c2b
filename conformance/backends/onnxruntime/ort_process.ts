/**
 * ONNX Runtime in a child process on a chosen CPU: ort_server.ts bundled with esbuild (a devDependency) into
 * build/ort/ort_server.mjs on first use (rebuilt when a source is newer), so plain node runs it; tsx would
 * transpile under QEMU, which is slow. npm packages stay external (onnxruntime-node is native and is resolved
 * from the project's node_modules). `ortProcessCommand` wraps `node <bundle>` for the CPU model.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CpuModel, wrapCommand } from '../cpu/cpu_models.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = join(ROOT, 'conformance/backends/onnxruntime/ort_server.ts');
export const ORT_SERVER_BUNDLE = join(ROOT, 'build/ort/ort_server.mjs');

/** Newest mtime of the TypeScript the server is built from (contract/ and conformance/ sources). */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['contract', 'conformance/protocol', 'conformance/backends/onnxruntime']) walk(join(ROOT, d));
  return newest;
}

/** Bundles ort_server.ts unless the bundle is newer than its sources; returns the bundle's path. */
export async function ensureOrtServerBundle(): Promise<string> {
  if (existsSync(ORT_SERVER_BUNDLE) && statSync(ORT_SERVER_BUNDLE).mtimeMs >= newestSource()) return ORT_SERVER_BUNDLE;
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [ENTRY], outfile: ORT_SERVER_BUNDLE, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return ORT_SERVER_BUNDLE;
}

/** The command line that runs the ORT protocol server on `cpu` (plain node, under QEMU for an emulated model). */
export async function ortProcessCommand(cpu: CpuModel): Promise<{ command: string; args: string[] }> {
  return wrapCommand(cpu, process.execPath, [await ensureOrtServerBundle()]);
}
