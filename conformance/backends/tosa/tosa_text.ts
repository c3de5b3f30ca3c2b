/**
 * MLIR text for TOSA 0.x as MLIR 19 parses it: tensor types, constants (hex dense attributes, any shape),
 * and printing an integer tensor through printMemrefI32 (flattened to 1-D, widened to i32).
 */
export type ElementType = 'i8' | 'i32';

export function tensorType(shape: readonly number[], element: ElementType): string {
  return `tensor<${[...shape, element].join('x')}>`;
}

/** A dense attribute as raw little-endian bytes: the same text for every shape. */
function hexDense(values: ArrayLike<number>, element: ElementType): string {
  const bytes = element === 'i8' ? new Uint8Array(Int8Array.from(values).buffer) : new Uint8Array(Int32Array.from(values).buffer);
  return `"0x${Buffer.from(bytes).toString('hex').toUpperCase()}"`;
}

/** `%name = "tosa.const"` holding `values` (row-major) with this shape. */
export function constant(name: string, shape: readonly number[], element: ElementType, values: ArrayLike<number>): string {
  const t = tensorType(shape, element);
  return `%${name} = "tosa.const"() {value = dense<${hexDense(values, element)}> : ${t}} : () -> ${t}`;
}

export const i32Array = (values: readonly number[]) => `array<i32: ${values.join(', ')}>`;
export const i8Array = (values: readonly number[]) => `array<i8: ${values.join(', ')}>`;
export const i64Array = (values: readonly number[]) => `array<i64: ${values.join(', ')}>`;

export interface Rescale {
  readonly multipliers: readonly number[];
  /** TOSA right shifts in [2, 62] */
  readonly shifts: readonly number[];
  readonly outputZeroPoint: number;
  readonly doubleRound: boolean;
}

/** tosa.rescale (scale32, input_zp 0) of an int32 tensor; one (multiplier, shift) per tensor or per last-dimension channel. */
export function rescale(out: string, input: string, shape: readonly number[], r: Rescale, element: ElementType): string {
  const perChannel = r.multipliers.length > 1;
  const attrs = `double_round = ${r.doubleRound}, input_zp = 0 : i32, multiplier = ${i32Array(r.multipliers)}, output_zp = ${r.outputZeroPoint} : i32, per_channel = ${perChannel}, scale32 = true, shift = ${i8Array(r.shifts)}`;
  return `%${out} = tosa.rescale %${input} {${attrs}} : (${tensorType(shape, 'i32')}) -> ${tensorType(shape, element)}`;
}

/** tosa.clamp to [min, max] (integer bounds; the float bounds are unused). */
export function clamp(out: string, input: string, shape: readonly number[], element: ElementType, min: number, max: number): string {
  const t = tensorType(shape, element);
  return `%${out} = tosa.clamp %${input} {min_int = ${min} : i64, max_int = ${max} : i64, min_fp = 0.0 : f32, max_fp = 0.0 : f32} : (${t}) -> ${t}`;
}

/** Prints `input` as one flat line of int32 values (tosa.cast widens i8; tosa.reshape flattens). */
export function print(input: string, shape: readonly number[], element: ElementType): string[] {
  const size = shape.reduce((p, d) => p * d, 1);
  const flat = tensorType([size], 'i32');
  const lines: string[] = [];
  let v = input;
  if (element !== 'i32') {
    lines.push(`%${v}_i32 = tosa.cast %${v} : (${tensorType(shape, element)}) -> ${tensorType(shape, 'i32')}`);
    v = `${v}_i32`;
  }
  lines.push(`%${v}_flat = tosa.reshape %${v} {new_shape = ${i64Array([size])}} : (${tensorType(shape, 'i32')}) -> ${flat}`);
  lines.push(`%${v}_any = tensor.cast %${v}_flat : ${flat} to tensor<*xi32>`);
  lines.push(`call @printMemrefI32(%${v}_any) : (tensor<*xi32>) -> ()`);
  return lines;
}

/** The printed tensors of a run, in order: the values after each "data =". */
export function parsePrinted(stdout: string): number[][] {
  return stdout
    .split('Unranked Memref')
    .slice(1)
    .map((chunk) => {
      const at = chunk.indexOf('data =');
      return at < 0 ? [] : (chunk.slice(at + 'data ='.length).match(/-?\d+/g) ?? []).map(Number);
    });
}
