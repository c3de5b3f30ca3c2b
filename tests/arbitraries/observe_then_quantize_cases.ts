import fc from 'fast-check';
import type { QparamsConfig } from '../../contract/ops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { type ElementRecipe, elementRecipe, elementRecipes } from './element_recipe.js';
import { type PerChannelBatches, perChannelBatches } from './per_channel_batches.js';
import { perTensorBatches } from './per_tensor_batches.js';
import { perTensorConfig, qparamsConfig } from './qparams_config.js';

/**
 * Observe batches with a config (any quant_min/quant_max it requests), then quantize new data with the
 * qparams it returns. The data is described by recipes, realized on the observed grid once it is known.
 */
export interface ObserveThenQuantizeCase<B> {
  readonly observed: B;
  readonly config: QparamsConfig;
  readonly recipes: readonly ElementRecipe[];
}

export const perTensorObserveThenQuantize: fc.Arbitrary<ObserveThenQuantizeCase<readonly F32Tensor[]>> = fc.record({
  observed: perTensorBatches,
  config: perTensorConfig,
  recipes: fc.array(elementRecipe, { maxLength: 40 }),
});

/** Per-channel: the data to quantize has the shape of the first batch (recipes for each of its elements). */
export const perChannelObserveThenQuantize: fc.Arbitrary<ObserveThenQuantizeCase<PerChannelBatches>> = fc
  .record({ observed: perChannelBatches, config: qparamsConfig(['per_channel_affine', 'per_channel_symmetric']) })
  .chain(({ observed, config }) => elementRecipes(observed.batches[0]!.data.length).map((recipes) => ({ observed, config, recipes })));
