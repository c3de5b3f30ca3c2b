/**
 * The least and greatest of `values` (a layer's weights, its per-channel scales): a loop, since spreading millions of
 * values into Math.min exceeds the call stack (a ResNet-18 layer4 conv has 2.4 M weights).
 */
export function valueRange(values: ArrayLike<number>): readonly [min: number, max: number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
