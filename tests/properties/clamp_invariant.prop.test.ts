import { describe, expect, it } from 'vitest';
import { perChannelObserveThenQuantize, perTensorObserveThenQuantize } from '../arbitraries/observe_then_quantize_cases.js';
import { realizeTensor } from '../arbitraries/element_recipe.js';
import { affineGrid } from '../arbitraries/quant_grid.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { IntTensor } from '../../contract/tensor.js';
import { channelLayout, channelOf, f64Tensor, intTensor } from '../../contract/tensor.js';
import type { QparamsConfig } from '../../contract/ops.js';
import { outcomeOf } from '../support/agreement.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { checkProperty } from '../support/property.js';
import { PROPERTY_RUNS } from '../support/run_budget.js';

/** Counts quantized outputs and how many elements fell outside the config's custom range (allowed: eager quantize clamps to the dtype). */
class ClampTally {
  quantized = 0;
  beyondRequestedRange = 0;

  /** Asserts every element inside the dtype range, then counts. */
  check(q: IntTensor, config: QparamsConfig): void {
    const { min, max } = DTYPE_RANGE[config.dtype];
    q.data.forEach((v, i) => {
      if (!(v >= min && v <= max)) throw new Error(`q[${i}] = ${v} outside ${config.dtype} [${min}, ${max}]`);
      if (config.quantMin != null && config.quantMax != null && (v < config.quantMin || v > config.quantMax)) this.beyondRequestedRange++;
    });
    this.quantized++;
  }

  expectNonVacuous(minQuantized: number): void {
    if (process.env.QCONFORM_COVERAGE) console.info(`quantized=${this.quantized} beyondRequestedRange=${this.beyondRequestedRange}`);
    if (process.env.QCONFORM_PATH) return;
    expect(this.quantized, 'cases that reached quantize').toBeGreaterThanOrEqual(minQuantized);
    expect(this.beyondRequestedRange, 'elements quantized outside a custom quant range').toBeGreaterThanOrEqual(20);
  }
}

describe.each(IMPLEMENTATIONS)('%s: quantize clamps to the dtype range, not to quant_min/quant_max', (side, ops) => {
  const perTensorName = `${side}: quantize_per_tensor with observed qparams stays in the dtype range`;
  it(perTensorName, () => {
    const tally = new ClampTally();
    checkProperty(perTensorName, perTensorObserveThenQuantize, ({ observed, config, recipes }) => {
      const qparams = outcomeOf(side, () => ops.minMaxObserver(observed, config));
      if (qparams.kind === 'error') return;
      const [scale, zeroPoint] = [qparams.value.scale.data[0]!, qparams.value.zeroPoint.data[0]!];
      const { min, max } = DTYPE_RANGE[config.dtype];
      const x = realizeTensor([recipes.length], recipes, () => affineGrid(scale, zeroPoint, min, max));
      const q = outcomeOf(side, () => ops.quantizePerTensor(x, { scale, zeroPoint, dtype: config.dtype }));
      if (q.kind === 'output') tally.check(q.value, config);
    }, PROPERTY_RUNS);
    // observer rejections (bad ranges, misfit qschemes) and quantize rejections (NaN or zero scales from eps variants) stop many cases
    tally.expectNonVacuous(250);
  });

  const perChannelName = `${side}: quantize_per_channel with observed qparams stays in the dtype range`;
  it(perChannelName, () => {
    const tally = new ClampTally();
    checkProperty(perChannelName, perChannelObserveThenQuantize, ({ observed, config, recipes }) => {
      const qparams = outcomeOf(side, () => ops.perChannelMinMaxObserver(observed.batches, { ...config, chAxis: observed.chAxis }));
      const first = observed.batches[0]!;
      if (qparams.kind === 'error' || first.shape.length < 2) return;
      const axis = observed.chAxis < 0 ? observed.chAxis + first.shape.length : observed.chAxis;
      const { scale, zeroPoint } = qparams.value;
      if (first.shape[axis] !== scale.data.length) return; // the first batch was empty or broadcast: nothing to quantize along its axis
      const { min, max } = DTYPE_RANGE[config.dtype];
      const grids = Array.from(scale.data, (s, c) => affineGrid(s, zeroPoint.data[c]!, min, max));
      const layout = channelLayout(first.shape, axis);
      const x = realizeTensor(first.shape, recipes, (i) => grids[channelOf(i, layout)]!);
      const q = outcomeOf(side, () =>
        ops.quantizePerChannel(x, f64Tensor(scale.shape, Array.from(scale.data)), intTensor('int64', zeroPoint.shape, Array.from(zeroPoint.data)), {
          axis,
          dtype: config.dtype,
        }),
      );
      if (q.kind === 'output') tally.check(q.value, config);
    }, PROPERTY_RUNS);
    // the same, plus empty or broadcast first batches and quint4x2 (no per-channel quantize in torch 1.13)
    tally.expectNonVacuous(150);
  });
});
