/**
 * com.microsoft QLinearAveragePool (channels_last 0) whose kernel is larger than its padded input along a spatial dim,
 * against the real ONNX Runtime (onnxruntime-node 1.30, in process, this host's CPU; each request run twice, so that
 * unwritten memory would show). ORT's PoolAttributes sizes such a dim in C++ integer arithmetic (contract/
 * qlinear_pool_checks.ts poolOutputSize), so it gives:
 *   - a pooled size of 0: ORT's empty y ([N, C, ..., 0, ...]), with ceil_mode 0 or 1, count_include_pad 0 or 1, N = 0 or
 *     not, 1 to 3 spatial dims: reference and impl give the same dtype and shape;
 *   - a pooled size of 1 or more (a stride above 1: n = -1 with stride 2 truncates to 0): windows that overhang the padded
 *     input, clipped to the image, divided by the kernel size with count_include_pad: reference and impl give ORT's
 *     values bit for bit;
 *   - a negative size: ORT refuses it ("Calculated output dimension is negative" for -1, onnxruntime-node's "Invalid
 *     dimension" when it creates the session for -2 or less); reference and impl refuse it (`empty_output`).
 * The sweep is exhaustive over the grid below (no randomness). The channels_last twin of a pooled size of 0 kills ORT's
 * process (SIGFPE): tests/backends/ort_empty_qlinear_ops.test.ts runs it in a child process.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

const n = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** The grid: dim 0 overhangs (in + pads < kernel), the other dims fit (3 wide, kernel 2); smaller for N = 0, qint8, rank > 1. */
function sweep(): WireRequest[] {
  const out: WireRequest[] = [];
  for (const N of [2, 0]) {
    for (const dtype of ['quint8', 'qint8'] as const) {
      for (const rank of [1, 2, 3]) {
        for (const size of [1, 2, 3]) {
          for (const kernel of [2, 3, 4, 5]) {
            for (const [head, tail] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
              for (const stride of [1, 2, 3]) {
                for (const ceil of [false, true]) {
                  for (const cip of [false, true]) {
                    if (head >= kernel || tail >= kernel || size + head + tail >= kernel) continue;
                    if ((N === 0 || dtype === 'qint8' || rank > 1) && (cip || tail > 0)) continue;
                    const spatial = [size, 3, 3].slice(0, rank);
                    const kernelShape = [kernel, 2, 2].slice(0, rank);
                    const pads = [head, 0, 0].slice(0, rank).concat([tail, 0, 0].slice(0, rank));
                    const shape = [N, 2, ...spatial];
                    const zp = (v: number) => wireInt(dtype, [], [v]);
                    out.push({
                      id: `pool-${out.length}-${dtype}-N${N}-r${rank}-in${size}-k${kernel}-p${head},${tail}-s${stride}-ceil${+ceil}-cip${+cip}`,
                      op: 'qlinear_average_pool@1',
                      attrs: { kernel_shape: kernelShape, pads, strides: kernelShape.map((_, d) => (d === 0 ? stride : 1)), ceil_mode: ceil, count_include_pad: cip, channels_last: false },
                      inputs: { x: wireInt(dtype, shape, Array.from({ length: n(shape) }, (_, i) => (7 + i * 37) % 100)), x_scale: wireF32([], [0.1]), x_zero_point: zp(5), y_scale: wireF32([], [0.2]), y_zero_point: zp(9) },
                    } as WireRequest);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return out;
}

type Answer = { outputs?: { y: { dtype: string; shape: number[]; values?: number[] } }; error?: { code: string; message: string } };
const replay = evalReplay;

describe('QLinearAveragePool with a kernel larger than the padded input, as ONNX Runtime 1.30 computes it', () => {
  it("reference and impl give ORT's empty y, its values (overhanging windows) and refuse its negative sizes", { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const requests = sweep();
    const [first, second] = [await runThroughOrt(ort, requests), await runThroughOrt(ort, requests)];
    const seen = { empty: new Set<string>(), values: 0, cipChanges: 0, kernelError: 0, sessionError: 0 };
    const valuesByCase = new Map<string, string>();
    for (const [i, request] of requests.entries()) {
      const ortAnswer = first[i] as Answer;
      expect(second[i], `${request.id}: the same answer on a second run`).toEqual(first[i]);
      const attrs = request.attrs as { kernel_shape: number[]; ceil_mode: boolean; count_include_pad: boolean };
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const ours = evaluateRequest(ops, request) as Answer;
        if (ortAnswer.outputs) {
          expect(ours.outputs?.y ?? ours, replay(request, name)).toEqual(ortAnswer.outputs.y);
        } else {
          expect(ours.error?.code, `${replay(request, name)}: ORT refuses (${ortAnswer.error?.message.slice(0, 200)})`).toBe('empty_output');
          expect(ours.error?.message, replay(request, name)).toContain('pooled size is negative');
        }
      }
      if (ortAnswer.error) {
        const message = ortAnswer.error.message;
        if (message.includes('Calculated output dimension is negative')) seen.kernelError++;
        else if (message.includes('Invalid dimension')) seen.sessionError++;
        else expect.fail(`${request.id}: ORT's error is neither of the two expected: ${message.slice(0, 300)}`);
        continue;
      }
      const y = ortAnswer.outputs!.y;
      if (n(y.shape) === 0) {
        if ((request.inputs!.x as { shape: number[] }).shape[0] !== 0) seen.empty.add(`rank${attrs.kernel_shape.length} ceil${+attrs.ceil_mode} cip${+attrs.count_include_pad}`);
        continue;
      }
      seen.values++;
      // the count_include_pad twin of a request (the same id up to its last field) divides by the kernel size instead
      const twin = request.id.replace(/^pool-\d+-/, '').replace(/-cip\d$/, '');
      const before = valuesByCase.get(twin);
      if (before !== undefined && before !== JSON.stringify(y.values)) seen.cipChanges++;
      valuesByCase.set(twin, JSON.stringify(y.values));
    }
    // not vacuous: empty outputs with N > 0 in every rank, ceil_mode and (rank 1) count_include_pad; overhanging windows
    // whose values depend on count_include_pad; both of ORT's refusals of a negative size
    expect([...seen.empty].sort()).toEqual(['rank1 ceil0 cip0', 'rank1 ceil0 cip1', 'rank1 ceil1 cip0', 'rank1 ceil1 cip1', 'rank2 ceil0 cip0', 'rank2 ceil1 cip0', 'rank3 ceil0 cip0', 'rank3 ceil1 cip0']);
    expect(seen.values, 'overhanging windows with values').toBeGreaterThan(50);
    expect(seen.cipChanges, 'count_include_pad changes an overhanging window\'s value').toBeGreaterThan(10);
    expect(seen.kernelError, 'pooled size -1: ORT\'s kernel refuses it').toBeGreaterThan(10);
    expect(seen.sessionError, 'pooled size -2 or less: onnxruntime-node refuses the session').toBeGreaterThan(10);
  });
});
