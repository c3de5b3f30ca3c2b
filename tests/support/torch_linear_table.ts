/**
 * Tables of torch linear requests (quantized_linear@1, quantized_linear_dynamic@1) run live through the torch adapter,
 * each labelled with what torch answered when the table was measured: 'outputs', an error code, or 'crash:SIGNAL'
 * (torch dies; the adapter says backend_error naming the signal). The check: torch still answers so, and every
 * implementation answers as torch did (outputs bit for bit, the same code), or, where torch dies, shape_mismatch
 * naming the signal.
 */
import { expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from './implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from './live_torch.js';
import { describeAnswer, expectTorchAnswers, f32, f64, ints } from './torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];
const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export interface TableSpec {
  readonly x: readonly number[];
  /** the weight's shape [N, K] */
  readonly w: readonly number[];
  readonly perChannel?: boolean;
  /** weight scales (default: one of 0.05 per tensor, N per channel) */
  readonly scales?: readonly number[];
  /** weight zero points (default: 0 for each scale) */
  readonly zps?: readonly number[];
  readonly bias?: { readonly dtype: 'float32' | 'int32'; readonly shape: readonly number[] };
  readonly xScale?: number;
  /** the static linear's x_zero_point (default 3) and y_scale (default 0.2) */
  readonly xZeroPoint?: number;
  readonly yScale?: number;
  /** the static linear's x dtype (default quint8; qint8 x holds the quint8 values less 100) */
  readonly xDtype?: 'quint8' | 'qint8';
  /** the dynamic linear's x: its second value */
  readonly special?: number;
}

export type Label = 'outputs' | 'crash:SIGFPE' | 'crash:SIGSEGV' | string;
/** A row: tag, spec, labels of qnnpack static, qnnpack dynamic, onednn static, onednn dynamic (null: not run). */
export type Row = readonly [tag: string, spec: TableSpec, labels: readonly (Label | null)[]];

/** The table's requests and labels, on torch-qnnpack@1 and `onednn` (the torch version's onednn scheme). */
export function tableOf(rows: readonly Row[], onednn: string): { requests: WireRequest[]; labels: Label[] } {
  const requests: WireRequest[] = [];
  const labels: Label[] = [];
  const kinds = [['torch-qnnpack@1', 'quantized_linear@1'], ['torch-qnnpack@1', 'quantized_linear_dynamic@1'], [onednn, 'quantized_linear@1'], [onednn, 'quantized_linear_dynamic@1']] as const;
  for (const [tag, spec, kindLabels] of rows) {
    kinds.forEach(([scheme, op], j) => {
      const label = kindLabels[j];
      if (label === null || label === undefined) return;
      requests.push(tableRequest(`${op}-${scheme}-${tag}`, op, scheme, spec));
      labels.push(label);
    });
  }
  return { requests, labels };
}

/** One request of the table: `op` on `scheme`, deterministic values (no randomness to seed). */
export function tableRequest(id: string, op: 'quantized_linear@1' | 'quantized_linear_dynamic@1', scheme: string, s: TableSpec): WireRequest {
  const n = s.w[0] ?? 1;
  const scales = s.scales ?? (s.perChannel ? Array(n).fill(0.05) : [0.05]);
  const zps = s.zps ?? scales.map(() => 0);
  const weight = ints('qint8', s.w, Array.from({ length: numel(s.w) }, (_, i) => ((i * 13) % 50) - 25));
  const bias = s.bias ? { bias: s.bias.dtype === 'float32' ? f32(s.bias.shape, Array(numel(s.bias.shape)).fill(0.5)) : ints('int32', s.bias.shape, Array(numel(s.bias.shape)).fill(40)) } : {};
  const qparams = { weight_scales: f64([scales.length], scales), weight_zero_points: ints('int64', [zps.length], zps) };
  const weightQuantization = s.perChannel ? 'per_channel' : 'per_tensor';
  if (op === 'quantized_linear@1') {
    return {
      id,
      op,
      attrs: { scheme, accumulator: 'int32_wrap', relu: false, x_scale: f64ToHex(s.xScale ?? 0.1), x_zero_point: s.xZeroPoint ?? 3, y_scale: f64ToHex(s.yScale ?? 0.2), y_zero_point: 10, weight_quantization: weightQuantization },
      inputs: { x: ints(s.xDtype ?? 'quint8', s.x, Array.from({ length: numel(s.x) }, (_, i) => ((i * 7) % 200) - (s.xDtype === 'qint8' ? 100 : 0))), weight, ...qparams, ...bias },
    } as WireRequest;
  }
  const xs = Array.from({ length: numel(s.x) }, (_, i) => (i === 1 && s.special !== undefined ? s.special : ((i * 7) % 11) / 4 - 1.2));
  return { id, op, attrs: { scheme, relu: false, reduce_range: false, weight_quantization: weightQuantization }, inputs: { x: f32(s.x, xs), weight, ...qparams, ...bias } } as WireRequest;
}

/** torch's answer as a label. */
export function labelOf(r: WireResponse): Label {
  if (!('error' in r)) return 'outputs';
  if (r.error.code !== 'backend_error') return r.error.code;
  const signal = /crashed \(signal (SIG[A-Z]+)\)/.exec(r.error.message);
  return signal ? `crash:${signal[1]}` : r.error.code;
}

/** torch's answers still the labels, and every implementation's the same (a crash: shape_mismatch naming the signal). */
export function checkTable(requests: readonly WireRequest[], labels: readonly Label[], torch: readonly WireResponse[], who: string, testFile: string): void {
  const replay = `${who}; replay: npx vitest run ${testFile}`;
  expect(Object.fromEntries(requests.map((q, i) => [q.id, labelOf(torch[i]!)]))).toEqual(Object.fromEntries(requests.map((q, i) => [q.id, labels[i]])));
  const crashes = labels.flatMap((l, i) => (l.startsWith('crash:') ? [i] : []));
  for (const i of crashes) {
    const q = requests[i]!;
    for (const [name, ops] of ALL) {
      const got = evaluateRequest(ops, q);
      const where = `${q.id} on ${name}: torch ${describeAnswer(torch[i]!)}, got ${describeAnswer(got)} (${replay}; replay: echo '${JSON.stringify(q)}' | npx qconform eval --backend reference)`;
      expect('error' in got ? got.error.code : 'outputs', where).toBe('shape_mismatch');
      expect('error' in got ? got.error.message : '', where).toContain(labels[i]!.slice('crash:'.length));
    }
  }
  const kept = (_: unknown, i: number) => !crashes.includes(i);
  expectTorchAnswers(requests.filter(kept), torch.filter(kept), ALL, replay);
}

/**
 * The table's two live checks, as tests of the enclosing describe named `names`: torch 1.13.0 (/usr/bin/python3, with
 * torch-onednn@1) and torch 2.6 in its chroot (with torch-onednn@2; skipped when the chroot is not set up).
 */
export function itChecksTableOnBothTorches(rows: readonly Row[], testFile: string, names: readonly [string, string] = ['torch 1.13.0 (torch-qnnpack@1, torch-onednn@1)', 'torch 2.6 (chroot; torch-qnnpack@1, torch-onednn@2)']): void {
  it(names[0], { timeout: 300_000 }, async () => {
    const { requests, labels } = tableOf(rows, 'torch-onednn@1');
    checkTable(requests, labels, await torch13Responses(requests), 'torch 1.13 via runThroughTorch', testFile);
  });

  it(names[1], { timeout: 600_000, skip: !torch26Available() }, async () => {
    const { requests, labels } = tableOf(rows, 'torch-onednn@2');
    checkTable(requests, labels, await torch26Responses(requests), 'torch 2.6 in its chroot', testFile);
  });
}
