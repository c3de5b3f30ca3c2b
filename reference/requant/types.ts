/**
 * The shape every exact requantization scheme has (one file per scheme in this directory): `prepare`
 * turns one output channel's quantization parameters into the scheme's own parameters (the float32
 * multiplier, the fixed-point mantissa and shift, the quantized bias...), exactly as the backend derives
 * them once per layer; `requantize` maps that channel's int32 accumulator to the output integer.
 */
import type { QnnpackPath } from '../../contract/qnnpack_ukernel.js';
import type { IeeeValue } from '../exact/ieee_value.js';

export type ExactBias = { readonly kind: 'float32'; readonly value: IeeeValue } | { readonly kind: 'int32'; readonly value: bigint } | null;

/** One output channel's parameters, exact. Scales are the f64 values of the wire (Python floats / ONNX float32 widened). */
export interface ChannelQuant {
  readonly xScale: IeeeValue;
  readonly wScale: IeeeValue;
  readonly yScale: IeeeValue;
  /** whether the weight scales are per-channel (oneDNN derives them differently) */
  readonly perChannel: boolean;
  readonly yZeroPoint: bigint;
  readonly bias: ExactBias;
  readonly relu: boolean;
  /** the output clamp: dtype range, raised to the zero point with relu */
  readonly outMin: bigint;
  readonly outMax: bigint;
  /** torch-qnnpack@1 only (other schemes ignore it): the conv's qnnpack path, which decides how its bias is packed (contract/qnnpack_ukernel.ts) */
  readonly qnnpackPath: QnnpackPath;
}

/**
 * How an int32 addition of the kernel behaves (contract/conv.ts ACCUMULATORS): `check` for the exact
 * accumulator (a sum outside int32 raises accumulator_overflow), `wrap` for two's complement.
 */
export type Int32Policy = 'check' | 'wrap';

export interface RequantRef<P> {
  prepare(c: ChannelQuant): P;
  /** acc: the channel's accumulator, an int32 value; returns the output integer (already clamped). */
  requantize(acc: bigint, p: P, policy: Int32Policy): bigint;
}

/** The int32 bias of a channel (0 without one, or when the scheme takes a float bias). */
export function int32Bias(c: ChannelQuant): bigint {
  return c.bias?.kind === 'int32' ? c.bias.value : 0n;
}
