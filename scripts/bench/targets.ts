/**
 * Issue 15's speed targets, and the verdict `npm run bench` prints on them from the rows it measured (one thread):
 * impl's WebAssembly conv at >= 30 GMAC/s on the dense 3x3 layer, >= 10 on the depthwise one and >= 25 on the pointwise
 * one; `qconform eval` at >= 20 M elements/s (base64le); the CLI's start under 0.3 s, running dist/'s compiled
 * JavaScript (a time of the tsx fallback is INCONCLUSIVE). A conv target is judged over every impl wasm row the bench prints (each scheme, tensor storage and output kind): FAIL when a row that settled is
 * below it, INCONCLUSIVE when none is but a row's warm-up never settled (a machine that was not steady), PASS
 * otherwise. impl's rows that do ONNX Runtime's work in its format (onnxruntime@1, one-byte tensors; the rows whose
 * ratio to ORT compares like with like) are printed beside it for comparison, not judged.
 * Informational only: the bench's exit status does not depend on it (a shared machine's speed is not a test).
 */

import type { CliStart } from './cli_start.js';

/** An impl wasm row of the conv bench. */
export interface ImplConvRow {
  readonly layer: string;
  readonly scheme: string;
  readonly storage: 'Int32Array' | 'one-byte';
  readonly output: 'fresh' | 'reused';
  readonly gmacs: number;
  /** whether its warm-up settled (steady_state.ts) */
  readonly stable: boolean;
}

/** GMAC/s targets per bench layer (conv_layer.ts names). */
export const LAYER_TARGET_GMACS: Readonly<Record<string, number>> = { 'dense 3x3': 30, 'depthwise 3x3': 10, 'pointwise 1x1': 25 };
export const EVAL_TARGET_ELEMENTS_PER_SECOND = 20e6;
export const CLI_START_TARGET_SECONDS = 0.3;

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const rowName = (r: ImplConvRow) => `${r.scheme}, ${r.storage}, ${r.output}`;
const slowestOf = (rows: readonly ImplConvRow[]) => rows.reduce((a, b) => (b.gmacs < a.gmacs ? b : a));

/**
 * A conv target's verdict over `rows`: FAIL when a row that settled is below it (an unsteady machine cannot explain
 * that row away), else INCONCLUSIVE when a row's warm-up never settled, else PASS.
 */
function convVerdict(rows: readonly ImplConvRow[], target: number): string {
  if (rows.some((r) => r.stable && r.gmacs < target)) return 'FAIL';
  const unsettled = rows.filter((r) => !r.stable);
  if (unsettled.length === 0) return 'PASS';
  return `INCONCLUSIVE (the warm-up of ${unsettled.map(rowName).join('; ')} never settled: not a steady machine)`;
}

/** One conv target's lines: the verdict over every row, the rows below, and impl's rows that compare like for like with ORT. */
function layerLines(layer: string, target: number, rows: readonly ImplConvRow[]): string[] {
  const slowest = slowestOf(rows);
  const below = rows.filter((r) => r.gmacs < target);
  const ortLike = rows.filter((r) => r.scheme === 'onnxruntime@1' && r.storage === 'one-byte');
  const lines = [`  ${layer} >= ${target} GMAC/s, every impl wasm row: ${convVerdict(rows, target)}, slowest ${slowest.gmacs.toFixed(2)} (${rowName(slowest)}), ${below.length} of ${rows.length} below`];
  if (below.length > 0 && below.length < rows.length) lines.push(`    below: ${below.map((r) => `${rowName(r)} ${r.gmacs.toFixed(2)}`).join('; ')}`);
  if (ortLike.length > 0) lines.push(`    for comparison: impl's onnxruntime@1 rows on one-byte tensors (like for like with the ORT row): ${ortLike.map((r) => `${r.output} ${r.gmacs.toFixed(2)}`).join(', ')}`);
  return lines;
}

/** The verdict lines for the measured rows, eval throughput (base64le) and CLI start time. */
export function targetLines(rows: readonly ImplConvRow[], evalElementsPerSecond: number, cli: CliStart): string[] {
  const lines: string[] = [];
  for (const [layer, target] of Object.entries(LAYER_TARGET_GMACS)) {
    const mine = rows.filter((r) => r.layer === layer);
    if (mine.length > 0) lines.push(...layerLines(layer, target, mine));
  }
  lines.push(`  qconform eval (base64le) >= ${EVAL_TARGET_ELEMENTS_PER_SECOND / 1e6} M elements/s: ${verdict(evalElementsPerSecond >= EVAL_TARGET_ELEMENTS_PER_SECOND)}, ${(evalElementsPerSecond / 1e6).toFixed(2)}`);
  // the target is the compiled path's: a time of the tsx fallback judges nothing
  const cliVerdict = cli.entry === 'dist' ? verdict(cli.seconds < CLI_START_TARGET_SECONDS) : "INCONCLUSIVE (timed the tsx fallback: dist/ is older than the sources, `npm run build`)";
  lines.push(`  CLI start < ${CLI_START_TARGET_SECONDS} s: ${cliVerdict}, ${cli.seconds.toFixed(3)} s`);
  return lines;
}
