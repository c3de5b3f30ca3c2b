/**
 * Whether the input `qconform explain` is given reaches a layer it models: the model must quantize it (ExplainModel
 * .input) or its first layer must read it (a uint8 / int8 graph input: integer_input.ts), and it must reach a
 * modelled layer through max pools, flattens, torch reshapes, requantizations (ONNX DQ -> Q, torch stubs) and ReLUs only (steps carried on the integers). An input the user gave (--input, --shape) that no modelled
 * layer would read is refused: every layer would run on generated data while the summary spoke of that input.
 */
import { type ExplainModel, ModelReadError } from './model_types.js';

/** Why the model's input reaches no modelled layer, or null when it does. */
export function inputUnreached(model: ExplainModel): string | null {
  if (!model.input && model.rawInput?.kind !== 'integers') return model.rawInput?.reason ?? 'the model does not quantize its input';
  const first = model.steps.find((s) => s.kind !== 'maxpool2d' && s.kind !== 'flatten' && s.kind !== 'reshape' && s.kind !== 'requantize' && s.kind !== 'int_relu' && s.kind !== 'relu' && s.kind !== 'stub_requantize');
  if (!first) return 'the model has no layer explain models';
  if (first.kind === 'not_modelled') return reachesNotModelled(first.name, first.opType, first.reason);
  return null;
}

/** Why an input stops at step `name` (an `opType` explain does not model, for `reason`) before any modelled layer. */
export function reachesNotModelled(name: string, opType: string, reason: string): string {
  return `it reaches ${name}, a ${opType} explain does not model (${reason}), before any layer it models`;
}

/** The ModelReadError at `where` (the --input file, or '--shape') for an input that no modelled layer reads (`why`). */
export function inputNotTaken(where: string, why: string): ModelReadError {
  return new ModelReadError(where, `the model does not take this input: ${why}; explain runs such a model on generated data only (leave out --input and --shape)`);
}

/**
 * What an explain run without --input says of its input when none reaches a modelled layer (`why`): nothing of the
 * generated input runs; each layer the chain does not reach runs on its own seeded integers (explain_run.ts
 * generatedActivation, integer_input.ts generatedInteger), labelled GENERATED on its line, and the layers after it
 * on its outputs.
 */
export function unreachedInputDescription(why: string, seed: string): string {
  return `GENERATED, per layer: no input reaches a layer explain models (${why}); each layer marked GENERATED runs on its own seeded integers (seed ${seed}: its x zero point + round(24 x standard normal), clamped to its x dtype) of the shape its line shows, and the layers after it on its outputs`;
}
