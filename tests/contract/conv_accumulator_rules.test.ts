import { describe, it } from 'vitest';
import type { Conv2dArgs } from '../../contract/conv.js';
import { intTensor } from '../../contract/tensor.js';
import { convArgs } from '../support/conv_args.js';
import { quantizedConv2d as implConv } from '../../impl/conv/conv2d.js';
import { quantizedConv2d as referenceConv } from '../../reference/conv/conv2d.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';

/** A 1x1 conv of one pixel, two channels, under `accumulator`, with `dtype` activations. */
function conv(dtype: 'quint8' | 'qint8', accumulator: string): Conv2dArgs {
  return convArgs({
    x: intTensor(dtype, [1, 2, 1, 1], [100, 120]),
    weight: intTensor('qint8', [1, 2, 1, 1], [127, 127]),
    yScale: 1000,
    accumulator: accumulator as Conv2dArgs['accumulator'],
  });
}

describe('conv accumulator rules (contract/conv_schemes.ts ACCUMULATOR_ACTIVATIONS)', () => {
  for (const [name, ops] of [['reference', { quantizedConv2d: referenceConv }], ['impl', { quantizedConv2d: implConv }]] as const) {
    it(`${name}: sat16_pairs_im2col refuses qint8 activations with unsupported_by_scheme naming the accumulator`, () => {
      expectQconformError(() => ops.quantizedConv2d(conv('qint8', 'sat16_pairs_im2col')), 'unsupported_by_scheme', ['x.dtype', 'accumulator sat16_pairs_im2col takes quint8 activations', 'got "qint8"']);
    });
    it(`${name}: sat16_pairs_im2col takes quint8; an unknown accumulator is unknown_scheme`, () => {
      ops.quantizedConv2d(conv('quint8', 'sat16_pairs_im2col'));
      ops.quantizedConv2d(conv('qint8', 'sat16_pairs'));
      expectQconformError(() => ops.quantizedConv2d(conv('quint8', 'sat16_pairs_nhwc')), 'unknown_scheme', ['sat16_pairs_im2col']);
    });
  }
});
