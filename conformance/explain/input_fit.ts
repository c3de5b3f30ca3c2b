/**
 * The input must reach the model's first quantized layer in the shape that layer takes: [N, C, H, W] with the
 * layer's C input channels for a conv, [N, F] for a linear. Data that does not fit is refused: explain never runs
 * a layer on generated data in place of the input it was given (--input, or --shape and the model's declared shape).
 */
import type { ExplainInput } from './input_tensor.js';
import { type ConvLayer, ModelReadError } from './model_types.js';

/** The shape `layer` takes, for the message: [N, C, H, W] or [N, F]. */
function takes(layer: ConvLayer, cin: number): string {
  return layer.linear ? `[N, ${cin}] (${cin} features)` : `[N, ${cin}, H, W] (${cin} input channels)`;
}

/**
 * The ModelReadError for an input that reaches the first layer `layer` (of `cin` input channels or features) as
 * `atLayer` (its shape after the max pools and flattens before the layer), when that is not what the layer takes.
 */
export function inputMisfit(input: ExplainInput, layer: ConvLayer, cin: number, atLayer: readonly number[]): ModelReadError {
  const given = input.tensor.shape;
  const became = atLayer.join(', ') === given.join(', ') ? '' : ` (which becomes [${atLayer.join(', ')}] at the layer)`;
  const where = input.origin === 'file' ? (input.path ?? 'input') : 'generated input';
  const from = input.origin === 'file' ? '' : ' (--shape, or the model\'s declared input shape)';
  return new ModelReadError(where, `shape [${given.join(', ')}]${from}${became} does not fit the first layer ${layer.name}, which takes ${takes(layer, cin)}`);
}
