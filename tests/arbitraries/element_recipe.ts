import fc from 'fast-check';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { float32Product, nextFloat32 } from '../support/float32_steps.js';
import { anyFloat32 } from './float32.js';
import type { QuantGrid } from './quant_grid.js';

/**
 * How to build one input element relative to the quantization grid of its channel, drawn before the
 * grid is known, so one arbitrary serves every quantize-like op (inputs built from wanted outputs):
 * - raw: any float32 (raw bit patterns, specials, moderate values), often off the grid or saturating;
 * - level: (j + offset) * scale for a level j inside the grid window, |offset| <= 0.5;
 * - tie: x with f32(x * inverse) = j + 0.5 exactly (the float32 nearest such x, when one exists),
 *   or the float32 one ulp beside it.
 */
export type ElementRecipe =
  | { readonly kind: 'raw'; readonly value: number }
  | { readonly kind: 'level'; readonly position: number; readonly offset: number }
  | { readonly kind: 'tie'; readonly position: number; readonly ulps: -1 | 0 | 1 };

const position = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1) },
);

export const elementRecipe: fc.Arbitrary<ElementRecipe> = fc.oneof(
  { weight: 3, arbitrary: anyFloat32.map((value) => ({ kind: 'raw' as const, value })) },
  {
    weight: 4,
    arbitrary: fc.record({ position, offset: fc.double({ min: -0.5, max: 0.5, noNaN: true }) }).map((r) => ({ kind: 'level' as const, ...r })),
  },
  { weight: 3, arbitrary: fc.record({ position, ulps: fc.constantFrom(0, 0, -1, 1) as fc.Arbitrary<-1 | 0 | 1> }).map((r) => ({ kind: 'tie' as const, ...r })) },
);

function levelAt(grid: QuantGrid, at: number): number {
  return grid.lowest + Math.round(at * (grid.highest - grid.lowest));
}

/** The float32 x nearest target / inverse whose product f32(x * inverse) is exactly target, if one lies within 4 ulps. */
function inputWithProduct(target: number, inverse: number): number {
  const guess = Math.fround(target / inverse);
  let [below, above] = [guess, guess];
  for (let step = 0; step <= 4 && Number.isFinite(guess); step++) {
    if (float32Product(above, inverse) === target) return above;
    if (float32Product(below, inverse) === target) return below;
    [below, above] = [nextFloat32(below, false), nextFloat32(above, true)];
  }
  return guess;
}

function realizeElement(recipe: ElementRecipe, grid: QuantGrid): number {
  switch (recipe.kind) {
    case 'raw':
      return recipe.value;
    case 'level':
      return Math.fround((levelAt(grid, recipe.position) - grid.zeroPoint + recipe.offset) * grid.scale);
    case 'tie': {
      const tie = inputWithProduct(Math.fround(levelAt(grid, recipe.position) - grid.zeroPoint + 0.5), grid.inverse);
      return recipe.ulps === 0 ? tie : nextFloat32(tie, recipe.ulps > 0);
    }
  }
}

/** A float32 tensor of `shape` whose element i is built on gridOf(i). */
export function realizeTensor(shape: readonly number[], recipes: readonly ElementRecipe[], gridOf: (index: number) => QuantGrid): F32Tensor {
  return f32Tensor(shape, recipes.map((r, i) => realizeElement(r, gridOf(i))));
}

/** Exactly `count` recipes. */
export function elementRecipes(count: number): fc.Arbitrary<ElementRecipe[]> {
  return fc.array(elementRecipe, { minLength: count, maxLength: count });
}

