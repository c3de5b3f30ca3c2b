/**
 * Many cases per compilation: every case becomes one function `@case_<k>` of one module whose `@main` calls
 * them in order, so mlir-opt and mlir-cpu-runner start once per batch (a start costs about half a second).
 * When a batch fails (a tool error or fewer printed tensors than expected), it is split in halves until the
 * failing case answers alone with a backend_error. A typed error raised while reading a case's printed
 * tensors (a TOSA REQUIRE checked on the accumulators) becomes that case's error response.
 */
import { isQconformError } from '../../../contract/errors.js';
import type { WireResponse } from '../../protocol/messages.js';
import { MlirToolError, lowerAndRun } from './mlir_tools.js';
import { parsePrinted } from './tosa_text.js';

/** One case as MLIR: its function body, the sizes of the tensors it prints (in order), and how they become its response. */
export interface TosaProgram {
  readonly id: string;
  readonly body: readonly string[];
  readonly printSizes: readonly number[];
  finish(printed: number[][]): WireResponse;
}

export function tosaModule(programs: readonly TosaProgram[]): string {
  const lines = ['func.func private @printMemrefI32(tensor<*xi32>)'];
  programs.forEach((p, k) => lines.push(`func.func @case_${k}() {`, ...p.body.map((l) => `  ${l}`), '  return', '}'));
  lines.push('func.func @main() {', ...programs.map((_, k) => `  call @case_${k}() : () -> ()`), '  return', '}');
  return `${lines.join('\n')}\n`;
}

/** A batch's time limit: a fixed start-up allowance and a share per case. */
const batchTimeoutMs = (cases: number, perCaseMs: number) => 30_000 + cases * perCaseMs;

async function runBatch(programs: readonly TosaProgram[], perCaseMs: number): Promise<WireResponse[]> {
  let printed: number[][];
  try {
    printed = parsePrinted(await lowerAndRun(tosaModule(programs), batchTimeoutMs(programs.length, perCaseMs)));
    const expected = programs.flatMap((p) => p.printSizes);
    if (printed.length !== expected.length || printed.some((t, i) => t.length !== expected[i])) {
      throw new MlirToolError(`mlir-cpu-runner printed tensors of sizes [${printed.map((t) => t.length).join(', ')}], expected [${expected.join(', ')}]`);
    }
  } catch (e) {
    if (!(e instanceof MlirToolError)) throw e;
    if (programs.length === 1) return [{ id: programs[0]!.id, error: { code: 'backend_error', message: e.message } }];
    const half = Math.ceil(programs.length / 2);
    return [...(await runBatch(programs.slice(0, half), perCaseMs)), ...(await runBatch(programs.slice(half), perCaseMs))];
  }
  let at = 0;
  return programs.map((p) => {
    const mine = printed.slice(at, at + p.printSizes.length);
    at += p.printSizes.length;
    try {
      return p.finish(mine);
    } catch (e) {
      if (isQconformError(e)) return { id: p.id, error: { code: e.code, message: e.message } };
      throw e;
    }
  });
}

/** Runs the programs in batches of at most `batchSize`; one response per program, in order. */
export async function runPrograms(programs: readonly TosaProgram[], options: { batchSize?: number; perCaseMs?: number } = {}): Promise<WireResponse[]> {
  const size = options.batchSize ?? 200;
  const responses: WireResponse[] = [];
  for (let i = 0; i < programs.length; i += size) responses.push(...(await runBatch(programs.slice(i, i + size), options.perCaseMs ?? 500)));
  return responses;
}
