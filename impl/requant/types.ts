/**
 * The fast twin of reference/requant/types.ts: `prepare` runs once per output channel and precomputes
 * the scheme's parameters as plain numbers (XNNPACK-style init params); `requantize` is the per-output
 * step, allocation-free.
 */
import type { QnnpackPath } from '../../contract/qnnpack_ukernel.js';

export type ChannelBias = { readonly kind: 'float32' | 'int32'; readonly value: number } | null;

export interface ChannelQuantF {
  /** f64 scales as given on the wire */
  readonly xScale: number;
  readonly wScale: number;
  readonly yScale: number;
  readonly perChannel: boolean;
  readonly yZeroPoint: number;
  readonly bias: ChannelBias;
  readonly relu: boolean;
  readonly outMin: number;
  readonly outMax: number;
  /** torch-qnnpack@1 only (other schemes ignore it): the conv's qnnpack path, which decides how its bias is packed (contract/qnnpack_ukernel.ts) */
  readonly qnnpackPath: QnnpackPath;
}

/** 'check': an int32 addition outside int32 raises accumulator_overflow; 'wrap': two's complement. */
export type Int32Policy = 'check' | 'wrap';

export interface RequantImpl<P> {
  prepare(c: ChannelQuantF): P;
  /** acc: an int32 value; returns the output integer */
  requantize(acc: number, p: P, policy: Int32Policy): number;
}

/** The int32 bias of a channel (0 without one, or when the scheme takes a float bias). */
export function int32Bias(c: ChannelQuantF): number {
  return c.bias?.kind === 'int32' ? c.bias.value : 0;
}
