/**
 * Debian's MLIR 19 tools (`mlir-19-tools`, `libmlir-19`): mlir-opt-19 lowers a module of TOSA ops to the LLVM
 * dialect, mlir-cpu-runner-19 JIT-compiles and runs it, printing tensors through the runner utility
 * libraries (printMemrefI32). Both are spawned with a timeout; a failure becomes a MlirToolError with the
 * tool's first error line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const MLIR_OPT = '/usr/bin/mlir-opt-19';
export const MLIR_CPU_RUNNER = '/usr/bin/mlir-cpu-runner-19';
const LIB_DIR = '/usr/lib/llvm-19/lib';
/** libmlir-19 ships the runner utilities under their versioned names only (the unversioned links are in libmlir-19-dev). */
export const RUNNER_LIBS = [`${LIB_DIR}/libmlir_runner_utils.so.19.1`, `${LIB_DIR}/libmlir_c_runner_utils.so.19.1`];
export const MLIR_INSTALL = 'apt-get install -y mlir-19-tools libmlir-19';

/**
 * TOSA -> linalg (named ops for conv2d / depthwise_conv2d, generic for rescale and clamp) -> arith, with
 * tosa.apply_scale lowered by tosa-to-arith{include-apply-rescale=true} (its 64-bit form: use-32-bit=false),
 * then bufferization and the usual lowering to LLVM. No canonicalization runs, so nothing is folded away.
 */
export const TOSA_PIPELINE =
  'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith{include-apply-rescale=true},tosa-to-tensor),' +
  'one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),buffer-deallocation-pipeline,' +
  'convert-bufferization-to-memref,expand-strided-metadata,lower-affine,convert-scf-to-cf,finalize-memref-to-llvm,' +
  'convert-arith-to-llvm,convert-math-to-llvm,convert-func-to-llvm,convert-cf-to-llvm,reconcile-unrealized-casts)';

export class MlirToolError extends Error {
  override readonly name = 'MlirToolError';
}

export function mlirToolsMissing(): string | null {
  const missing = [MLIR_OPT, MLIR_CPU_RUNNER, ...RUNNER_LIBS].filter((p) => !existsSync(p));
  return missing.length ? `not found: ${missing.join(', ')}` : null;
}

/** "19.1.7" from `mlir-opt-19 --version` ("LLVM version 19.1.7"), or "unknown". */
export function mlirVersion(): string {
  const r = spawnSync(MLIR_OPT, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /LLVM version (\S+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

/** The first line of a tool's stderr that says what went wrong. */
function firstError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '').slice(0, 500);
}

function runTool(path: string, args: readonly string[], input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new MlirToolError(`${path}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) reject(new MlirToolError(`${path} took longer than ${timeoutMs} ms`));
      else if (code !== 0) reject(new MlirToolError(`${path} failed (${signal ?? `exit ${code}`}): ${firstError(stderr)}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
    child.stdin.on('error', () => {}); // a tool that dies early closes its stdin: reported by 'close'
    child.stdin.end(input);
  });
}

/** Lowers `module` (TOSA, with a `@main` returning nothing) and runs it; returns what it printed. */
export async function lowerAndRun(module: string, timeoutMs: number): Promise<string> {
  const started = Date.now();
  const llvm = await runTool(MLIR_OPT, [`--pass-pipeline=${TOSA_PIPELINE}`], module, timeoutMs);
  const left = Math.max(1000, timeoutMs - (Date.now() - started));
  return runTool(MLIR_CPU_RUNNER, ['-e', 'main', '-entry-point-result=void', `-shared-libs=${RUNNER_LIBS.join(',')}`], llvm, left);
}
