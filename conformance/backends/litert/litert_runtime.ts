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

/** A model's input: uint8 or int32 elements with their shape. */
export interface LiteRtInput {
  readonly data: Uint8Array | Int32Array;
  readonly shape: readonly number[];
}

/** A model compiled once for the wasm CPU accelerator (one thread), run as often as needed, then deleted. */
export interface LiteRtCompiled {
  run(inputs: readonly LiteRtInput[]): Promise<LiteRtRun>;
  /** Frees the compiled model (LiteRT.js keeps it in its wasm heap until then). */
  delete(): void;
}

export interface LiteRtRuntime {
  readonly version: string;
  /** Compiles `model` for the wasm CPU accelerator (one thread); the compiler's log lines go to `log`. */
  compile(model: Uint8Array, log: string[]): Promise<LiteRtCompiled>;
  /** Compiles `model` and runs it once on `inputs`; `log` holds what TFLite logged while compiling and running. */
  run(model: Uint8Array, inputs: readonly LiteRtInput[]): Promise<LiteRtRun>;
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
    /** Runs `f` with the runtime's log lines going to `log`. */
    const logging = async <T>(log: string[], f: () => Promise<T>): Promise<T> => {
      logSink = log;
      try {
        return await f();
      } finally {
        logSink = null;
      }
    };
    const compile = async (model: Uint8Array, compileLog: string[]): Promise<LiteRtCompiled> => {
      const compiled = await logging(compileLog, () => litert.loadAndCompile(model, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } }));
      return {
        run: (inputs) => {
          const log: string[] = [];
          return logging(log, async () => {
            const tensors: LiteRtTensor[] = [];
            try {
              for (const i of inputs) tensors.push(new litert.Tensor(i.data as Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer>, [...i.shape]));
              const outputs = await compiled.run(tensors);
              try {
                return { outputs: outputs.map((o) => o.toTypedArray().slice() as Uint8Array | Int32Array | Int8Array | Float32Array), log };
              } finally {
                for (const o of outputs) o.delete();
              }
            } finally {
              for (const t of tensors) t.delete();
            }
          });
        },
        delete: () => compiled.delete(),
      };
    };
    return {
      version,
      compile,
      run: async (model, inputs) => {
        const log: string[] = [];
        const compiled = await compile(model, log);
        try {
          const r = await compiled.run(inputs);
          return { outputs: r.outputs, log: [...log, ...r.log] };
        } finally {
          compiled.delete();
        }
      },
    };
  })();
  return loading;
}
