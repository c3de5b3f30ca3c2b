/**
 * ONNX Runtime in a child process on a chosen CPU: ort_server.ts bundled with esbuild (a devDependency) into
 * build/ort/ort_server.mjs on first use (rebuilt when a source is newer), so plain node runs it; tsx would
 * transpile under QEMU, which is slow. npm packages stay external (onnxruntime-node is native and is resolved
 * from the project's node_modules). `ortProcessCommand` wraps `node <bundle>` for the CPU model.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT, RUNNING_COMPILED } from '../../package_root.js';
import { type CpuModel, wrapCommand } from '../cpu/cpu_models.js';

const ROOT = PACKAGE_ROOT;
const ENTRY = join(ROOT, 'conformance/backends/onnxruntime/ort_server.ts');
export const ORT_SERVER_BUNDLE = join(ROOT, 'build/ort/ort_server.mjs');
/** The project files esbuild bundled (its metafile's inputs, relative to ROOT), to tell when the bundle is stale. */
const BUNDLE_INPUTS = join(ROOT, 'build/ort/ort_server.inputs.json');

function bundleUpToDate(): boolean {
  if (!existsSync(ORT_SERVER_BUNDLE) || !existsSync(BUNDLE_INPUTS)) return false;
  const built = statSync(ORT_SERVER_BUNDLE).mtimeMs;
  const inputs = JSON.parse(readFileSync(BUNDLE_INPUTS, 'utf8')) as string[];
  return inputs.every((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).mtimeMs <= built);
}

/** Bundles ort_server.ts unless the bundle is newer than every file it was built from; returns the bundle's path. */
export async function ensureOrtServerBundle(): Promise<string> {
  // compiled (dist/), the server is already JavaScript that plain node runs: nothing to bundle
  if (RUNNING_COMPILED) return fileURLToPath(new URL('./ort_server.js', import.meta.url));
  if (bundleUpToDate()) return ORT_SERVER_BUNDLE;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ entryPoints: [ENTRY], outfile: ORT_SERVER_BUNDLE, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error', metafile: true, absWorkingDir: ROOT });
  writeFileSync(BUNDLE_INPUTS, `${JSON.stringify(Object.keys(result.metafile.inputs))}\n`);
  return ORT_SERVER_BUNDLE;
}

/** The command line that runs the ORT protocol server on `cpu` (plain node, under QEMU for an emulated model). */
export async function ortProcessCommand(cpu: CpuModel): Promise<{ command: string; args: string[] }> {
  return wrapCommand(cpu, process.execPath, [await ensureOrtServerBundle()]);
}
