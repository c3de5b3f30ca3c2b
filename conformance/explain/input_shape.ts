/**
 * The shape of the input `qconform explain` runs: --shape shapes generated data (else the model's declared input
 * shape, else [1, C, 16, 16] for the first conv's C, [1, F] for a linear); an --input file's data has its own
 * shape, so --shape beside it is taken only when it is that shape (fileShapeProblem), never silently ignored.
 */
import type { ExplainInput } from './input_tensor.js';
import { type ExplainModel, ModelReadError } from './model_types.js';

/** --shape N,C,H,W or N,F (positive integers of at most 4096); a ModelReadError at '--shape' otherwise. */
export function parseShape(text: string): number[] {
  const dims = text.split(/[x,]/).map((d) => Number(d.trim()));
  if (!dims.every((d) => Number.isSafeInteger(d) && d > 0 && d <= 4096) || (dims.length !== 4 && dims.length !== 2)) throw new ModelReadError('--shape', `expected N,C,H,W or N,F (a model that starts with a linear layer; positive integers), got ${text}`);
  return dims;
}

/** The shape of generated data: --shape (`shape`), the model's own, else [1, C, 16, 16] for the first conv's C ([1, F] for a linear). */
export function generatedShape(model: ExplainModel, shape: string | undefined): number[] {
  if (shape) return parseShape(shape);
  if (model.inputShape) return [...model.inputShape];
  const first = model.steps.find((s) => s.kind === 'conv2d');
  const c = first && first.kind === 'conv2d' ? (first.weightShape[1] ?? 1) * first.groups : 1;
  return first?.kind === 'conv2d' && first.linear ? [1, c] : [1, c, 16, 16];
}

/** The ModelReadError at '--shape' when --shape (`shape`) is given beside an --input file (`input`) of another shape, else null. */
export function fileShapeProblem(shape: string, input: ExplainInput): ModelReadError | null {
  const dims = parseShape(shape);
  const file = input.tensor.shape;
  if (dims.join(',') === file.join(',')) return null;
  return new ModelReadError('--shape', `[${dims.join(', ')}] is not the shape of the --input file ${input.path ?? 'input'}, [${file.join(', ')}]: explain runs the file's data in its own shape (leave out --shape, or give the file's)`);
}
