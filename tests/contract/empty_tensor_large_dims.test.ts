/**
 * An empty tensor bounds nothing: [2^40, 4, 4, 0] has no element, so MAX_TENSOR_ELEMENTS lets it through, and a loop
 * over its other dims would not end. reference/ and impl/ answer the empty inputs they take (ORT 1.30's empty outputs:
 * tests/backends/ort_empty_qlinear_ops.test.ts) at once whatever the other dims are: the global pool with N or C = 0,
 * the average pool's global shortcut with N = 0, NhwcMaxPool with N = 0 over a large image, QLinearConcat with an empty
 * axis after a large one. Run through `qconform eval` in a child process, so a loop that does not end is killed at the
 * timeout and the test fails.
 */
import { describe, expect, it } from 'vitest';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { runQconform } from '../support/cli_process.js';

const BIG = 2 ** 40;
const x = (shape: number[]) => ({ dtype: 'quint8', shape, values: [] });
const Q = { x_scale: wireF32([], [0.5]), x_zero_point: wireInt('quint8', [], [1]), y_scale: wireF32([], [0.25]), y_zero_point: wireInt('quint8', [], [128]) };
const POOL = { strides: [1, 1], pads: [0, 0, 0, 0], ceil_mode: false };

const CASES: readonly [string, Record<string, unknown>, number[]][] = [
  ['global pool, NCHW, C = 0', { op: 'qlinear_global_average_pool@1', attrs: { channels_last: false }, inputs: { ...Q, x: x([BIG, 0, 4, 4]) } }, [BIG, 0, 1, 1]],
  ['global pool, channels_last, C = 0', { op: 'qlinear_global_average_pool@1', attrs: { channels_last: true }, inputs: { ...Q, x: x([BIG, 4, 4, 0]) } }, [BIG, 1, 1, 0]],
  ['global pool, N = 0', { op: 'qlinear_global_average_pool@1', attrs: { channels_last: false }, inputs: { ...Q, x: x([0, BIG, 4, 4]) } }, [0, BIG, 1, 1]],
  ['average pool, N = 0, a global kernel', { op: 'qlinear_average_pool@1', attrs: { ...POOL, kernel_shape: [4, 4], count_include_pad: false, channels_last: true }, inputs: { ...Q, x: x([0, 4, 4, BIG]) } }, [0, 1, 1, BIG]],
  ['NhwcMaxPool, N = 0, a large image', { op: 'nhwc_max_pool@1', attrs: { ...POOL, kernel_shape: [1, 1] }, inputs: { x: x([0, 2 ** 20, 2 ** 20, 1]) } }, [0, 2 ** 20, 2 ** 20, 1]],
  [
    'QLinearConcat, an empty axis after a large one',
    { op: 'qlinear_concat@1', attrs: { axis: 1 }, inputs: { y_scale: Q.y_scale, y_zero_point: Q.y_zero_point, x0: x([BIG, 0]), x0_scale: Q.x_scale, x0_zero_point: Q.x_zero_point, x1: x([BIG, 0]), x1_scale: Q.y_scale, x1_zero_point: Q.y_zero_point } },
    [BIG, 0],
  ],
];

describe('empty inputs with large other dims are answered at once', () => {
  it.each(['reference', 'impl'])('%s', { timeout: 120_000 }, async (backend) => {
    const lines = CASES.map(([name, c]) => JSON.stringify({ id: name, ...c })).join('\n');
    const r = await runQconform(['eval', '--backend', backend], {}, 60_000, `${lines}\n`);
    expect(r.exitCode, `qconform eval --backend ${backend} ended (killed at 60 s otherwise): ${r.stderr.slice(0, 500)}`).toBe(0);
    const answers = r.stdout.trim().split('\n').slice(1).map((l) => JSON.parse(l) as { id: string; outputs?: { y: { shape: number[]; values: number[] } } });
    expect(answers.map((a) => a.id)).toEqual(CASES.map(([name]) => name));
    for (const [i, [name, , shape]] of CASES.entries()) expect(answers[i]!.outputs?.y, `${name}: ${JSON.stringify(answers[i]).slice(0, 300)}`).toEqual({ dtype: 'quint8', shape, values: [] });
  });
});
