/**
 * Distinguishing convs for the accumulator models of contract/conv.ts: four tiny quint8 convs, each run by the
 * exact reference under every accumulator (scheme onnxruntime@1, s_x = 2^-4, s_w = 2^-6, s_y = 1, so M = 2^-10,
 * output zero point 128). Together they separate every pair of accumulators: a saturating pair (int32 vs
 * int16 pairs), a pair that straddles two taps (per-tap pairs vs im2col pairs), a padded tap inside a pair with
 * z_x = 255 (padding skipped vs padding as z_x), and an int32 bias overflow (exact vs wrap).
 * Rendered into docs/conv_distinguishing.md by distinguishing.ts.
 */
import { ACCUMULATORS, type Accumulator, type Conv2dArgs } from '../../contract/conv.js';
import { isQconformError } from '../../contract/errors.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { quantizedConv2d } from '../../reference/conv/conv2d.js';

export interface AccumulatorRow {
  readonly label: string;
  readonly conv: Omit<Conv2dArgs, 'accumulator'>;
}

interface RowSpec {
  readonly label: string;
  /** [C, H, W] of the single batch element, and its values */
  readonly x: readonly [number[], number[]];
  /** [KH, KW] per input channel (one output channel), and the weights */
  readonly weight: readonly [number[], number[]];
  readonly xZeroPoint: number;
  readonly padding?: readonly [number, number];
  readonly stride?: readonly [number, number];
  readonly bias?: number;
}

function row(s: RowSpec): AccumulatorRow {
  const [xShape, x] = s.x;
  const [wShape, w] = s.weight;
  return {
    label: s.label,
    conv: {
      x: intTensor('quint8', [1, ...xShape], x),
      xScale: 2 ** -4,
      xZeroPoint: s.xZeroPoint,
      weight: intTensor('qint8', [1, xShape[0] as number, ...wShape], w),
      weightQuantization: 'per_tensor',
      weightScales: f64Tensor([1], [2 ** -6]),
      weightZeroPoints: intTensor('int64', [1], [0]),
      bias: s.bias === undefined ? null : intTensor('int32', [1], [s.bias]),
      stride: (s.stride ?? [1, 1]) as [number, number],
      padding: (s.padding ?? [0, 0]) as [number, number],
      dilation: [1, 1],
      groups: 1,
      relu: false,
      yScale: 1,
      yZeroPoint: 128,
      scheme: 'onnxruntime@1',
    },
  };
}

export const ACCUMULATOR_ROWS: readonly AccumulatorRow[] = [
  row({ label: 'one saturating pair: 1x1, x [255, 255], w [127, 127], z_x 0 (acc 64770)', x: [[2, 1, 1], [255, 255]], weight: [[1, 1], [127, 127]], xZeroPoint: 0 }),
  row({ label: 'a pair across two taps: Cg 1, 1x2 kernel, x [255, 255], w [127, 127], z_x 0 (acc 64770)', x: [[1, 1, 2], [255, 255]], weight: [[1, 2], [127, 127]], xZeroPoint: 0 }),
  row({ label: 'a padded tap in the pair: Cg 1, 1x2 kernel, padding (0, 1), stride (1, 2), x [255], w [127, 127], z_x 255 (acc 0)', x: [[1, 1, 1], [255]], weight: [[1, 2], [127, 127]], xZeroPoint: 255, padding: [0, 1], stride: [1, 2] }),
  row({ label: 'acc + int32 bias beyond INT32_MAX: 1x1, x [101], w [1], z_x 1, bias 2^31 - 50 (acc 100)', x: [[1, 1, 1], [101]], weight: [[1, 1], [1]], xZeroPoint: 1, bias: 2 ** 31 - 50 }),
];

/** The row's output under one accumulator, or the error code. */
export function accumulatorOutcome(r: AccumulatorRow, accumulator: Accumulator): number | string {
  try {
    return quantizedConv2d({ ...r.conv, accumulator }).data[0] as number;
  } catch (e) {
    if (isQconformError(e)) return e.code;
    throw e;
  }
}

/** Markdown lines: the table and what each accumulator models. */
export function accumulatorMarkdownLines(): string[] {
  return [
    '## Which accumulator model?',
    '',
    'Four one-output convs separate the accumulator models (`accumulator` attribute, contract/conv.ts); from',
    'conformance/analysis/accumulator_distinguishing.ts, quint8 under `onnxruntime@1` with s_x = 2^-4, s_w = 2^-6,',
    's_y = 1 (M = 2^-10), output zero point 128, z_w 0. `int32_wrap` is what the VNNI kernels compute;',
    '`sat16_pairs` models oneDNN\'s vpmaddubsw kernels without VNNI (pairs of input channels at one tap, padded',
    'taps skipped); `sat16_pairs_im2col` is ONNX Runtime 1.30\'s MLAS u8s8 AVX2 kernels without VNNI (pairs of the',
    'flat NHWC im2col row, padded taps inside the pairs as z_x; verified under qemu -cpu Haswell). Every pair of',
    'columns differs on some row.',
    '',
    `| conv | ${ACCUMULATORS.join(' | ')} |`,
    `|---|${ACCUMULATORS.map(() => '---').join('|')}|`,
    ...ACCUMULATOR_ROWS.map((r) => `| ${r.label} | ${ACCUMULATORS.map((a) => accumulatorOutcome(r, a)).map((o) => (typeof o === 'number' ? String(o) : `\`${o}\``)).join(' | ')} |`),
    '',
  ];
}
