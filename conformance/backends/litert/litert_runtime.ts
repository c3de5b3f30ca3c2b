/**
 * LiteRT.js (npm `@litertjs/core`: TFLite with its XNNPACK delegate, compiled to WebAssembly) loaded in plain
 * Node. The package expects a browser or worker: its loader (`@litertjs/wasm-utils`) calls `importScripts`
 * and reads `self.ModuleFactory`, and the Emscripten script then takes Node's path (`require('fs')`,
 * `__dirname`) to read its .wasm. Those four globals are provided here, once, before loading. The "compat"
 * build is loaded explicitly (no relaxed SIMD, no threads, no JSPI): it needs no Node flag.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';

const require = createRequire(import.meta.url);
export const LITERT_PACKAGE = '@litertjs/core';
export const LITERT_INSTALL = 'npm install @litertjs/core flatbuffers';

type LiteRtModule = typeof import('@litertjs/core');
export type LiteRtTensor = InstanceType<LiteRtModule['Tensor']>;

export interface LiteRtRun {
  readonly outputs: Array<Uint8Array | Int32Array | Int8Array | Float32Array>;
  /** what TFLite logged while compiling and running (e.g. "failed to create XNNPACK runtime" before it falls back to its own kernels) */
  readonly log: string[];
}

export interface LiteRtRuntime {
  readonly version: string;
  /** Compiles `model` for the wasm CPU accelerator (one thread) and runs it once on `inputs` (uint8 or int32 typed arrays with shapes). */
  run(model: Uint8Array, inputs: ReadonlyArray<{ data: Uint8Array | Int32Array; shape: readonly number[] }>): Promise<LiteRtRun>;
}

/** The package.json path of @litertjs/core, or null when it is not installed. */
export function litertPackageJson(): string | null {
  try {
    return require.resolve(`${LITERT_PACKAGE}/package.json`);
  } catch {
    return null;
  }
}

export function litertVersion(): string {
  const path = litertPackageJson();
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version : 'unknown';
}

function installBrowserGlobals(wasmDir: string): void {
  const g = globalThis as Record<string, unknown>;
  g.self ??= globalThis;
  g.importScripts ??= (url: string) => runInThisContext(readFileSync(url, 'utf8'), { filename: url });
  g.require ??= require;
  g.__dirname ??= wasmDir;
}

let loading: Promise<LiteRtRuntime> | null = null;
/** Where the runtime's log lines go: the current run's log, or nowhere (they would otherwise reach stdout, which the eval server's protocol owns). */
let logSink: string[] | null = null;
const capture = (...args: unknown[]) => {
  logSink?.push(args.map(String).join(' '));
};

/**
 * Runs `load` with console.log/warn/error routed to `capture`: the Emscripten script binds its print
 * functions to whatever console.log and console.error are while it is instantiated.
 */
async function withCapturedConsole<T>(load: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  Object.assign(console, { log: capture, warn: capture, error: capture, info: capture });
  try {
    return await load();
  } finally {
    Object.assign(console, saved);
  }
}

/** Loads LiteRT.js once per process (the package keeps one global instance). */
export function loadLiteRt(): Promise<LiteRtRuntime> {
  loading ??= (async () => {
    const pkg = litertPackageJson();
    if (!pkg) throw new Error(`${LITERT_PACKAGE} is not installed (${LITERT_INSTALL})`);
    const wasmDir = join(dirname(pkg), 'wasm');
    installBrowserGlobals(wasmDir);
    const litert = (await import('@litertjs/core')) as LiteRtModule;
    await withCapturedConsole(() => litert.loadLiteRt(join(wasmDir, 'litert_wasm_compat_internal.js')));
    const version = litertVersion();
    return {
      version,
      run: async (model, inputs) => {
        const log: string[] = [];
        logSink = log;
        try {
          const compiled = await litert.loadAndCompile(model, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
          const tensors = inputs.map((i) => new litert.Tensor(i.data as Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer>, [...i.shape]));
          try {
            const outputs = await compiled.run(tensors);
            try {
              return { outputs: outputs.map((o) => o.toTypedArray().slice() as Uint8Array | Int32Array | Int8Array | Float32Array), log };
            } finally {
              for (const o of outputs) o.delete();
            }
          } finally {
            for (const t of tensors) t.delete();
            compiled.delete();
          }
        } finally {
          logSink = null;
        }
      },
    };
  })();
  return loading;
}
