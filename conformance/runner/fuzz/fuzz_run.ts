/** Fuzz every catalogue op the backend claims (narrowed by --op), printing each minimal failing case. */
import type { CaseFactory } from '../../cases/builders.js';
import { CATALOG } from '../../cases/catalog.js';
import { TORCH_LINEAR_CATALOG } from '../../cases/torch_linear_catalog.js';
import type { Backend } from '../../backends/backend.js';
import { type FuzzOutcome, fuzzOp } from './fuzz_op.js';
import { consoleText } from '../reports/safe_text.js';

export interface FuzzRunOptions {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly ops?: readonly string[];
  readonly path?: string;
  /** The --backend argument, for the replay line. */
  readonly backendSpec: string;
  /** The generators to draw from (default: the torch catalogues, conv and linear; built-ins with their own vector set bring theirs). */
  readonly catalog?: ReadonlyArray<{ readonly op: string; readonly factory: CaseFactory }>;
}

/** "--seed S": an integer, or any other text hashed (FNV-1a) to one. */
export function fuzzSeed(text: string): number {
  if (/^-?\d+$/.test(text)) return Number(text) | 0;
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return h | 0;
}

function report(o: FuzzOutcome, options: FuzzRunOptions, log: (s: string) => void): void {
  if (!o.finding) {
    log(`fuzz ${o.op}: ${o.runs} fresh cases agree with the reference${o.skipped ? ` (${o.skipped} draws outside the claims skipped)` : ''}${o.problem ? `; ${o.problem}` : ''}`);
    return;
  }
  const { finding } = o;
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  log(`fuzz ${o.op}: MISMATCH after ${o.runs} cases, shrunk ${finding.shrinks} times`);
  log(`  ${finding.result.verdict}: ${consoleText(finding.result.detail ?? '')}`);
  log('  minimal case as a vector line (expectation: the exact reference):');
  log(`  ${JSON.stringify(finding.case)}`);
  log('  replay:');
  log(`  npx qconform run --backend ${quote(options.backendSpec)} --op ${o.op} --fuzz ${options.runs} --seed ${options.seed} --replay ${quote(finding.path)}`);
}

/** Returns true when no op produced a mismatch. */
export async function fuzzBackend(backend: Backend, options: FuzzRunOptions, log: (s: string) => void): Promise<boolean> {
  const entries = (options.catalog ?? [...CATALOG, ...TORCH_LINEAR_CATALOG]).filter(
    ({ op }) => backend.capabilities.ops.includes(op) && (!options.ops?.length || options.ops.some((o) => o === op || o === op.split('@')[0])),
  );
  let clean = true;
  for (const { op, factory } of entries) {
    const outcome = await fuzzOp(backend, op, factory, options);
    report(outcome, options, log);
    if (outcome.finding || outcome.problem) clean = false;
  }
  return clean;
}
