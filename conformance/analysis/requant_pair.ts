/**
 * One output channel's requantization under a scheme, on both sides: the exact reference and the fast
 * impl, built from the same plain description, as functions of the int32 accumulator. Errors become
 * their QconformError code, so the two sides compare as values.
 */
import type { RequantScheme } from '../../contract/conv.js';
import { type QconformError, isQconformError } from '../../contract/errors.js';
import { REQUANT_IMPL } from '../../impl/requant/index.js';
import type { ChannelQuantF, Int32Policy } from '../../impl/requant/types.js';
import { fromFloat32, fromFloat64 } from '../../reference/exact/ieee_bits.js';
import { REQUANT_REFERENCE } from '../../reference/requant/index.js';
import type { ChannelQuant } from '../../reference/requant/types.js';

export type RequantOutcome = number | string;

export function exactChannelQuant(c: ChannelQuantF): ChannelQuant {
  return {
    xScale: fromFloat64(c.xScale),
    wScale: fromFloat64(c.wScale),
    yScale: fromFloat64(c.yScale),
    perChannel: c.perChannel,
    yZeroPoint: BigInt(c.yZeroPoint),
    bias: c.bias === null ? null : c.bias.kind === 'float32' ? { kind: 'float32', value: fromFloat32(c.bias.value) } : { kind: 'int32', value: BigInt(c.bias.value) },
    relu: c.relu,
    outMin: BigInt(c.outMin),
    qnnpackPath: c.qnnpackPath,
    outMax: BigInt(c.outMax),
  };
}

function outcome(run: () => number | bigint): RequantOutcome {
  try {
    return Number(run());
  } catch (e) {
    if (isQconformError(e)) return e.code;
    throw e;
  }
}

export interface RequantPair {
  readonly ref: (acc: number) => RequantOutcome;
  readonly impl: (acc: number) => RequantOutcome;
  /** the impl's prepared parameters (for cut points), or the prepare error code */
  readonly implParams: unknown;
  readonly prepareError: string | null;
  /** the typed error both sides' prepare threw (the impl's), else null */
  readonly prepareRefusal: QconformError | null;
}

/** Both sides prepared once for (scheme, channel); a prepare error makes every accumulator that error. */
export function requantPair(scheme: RequantScheme, c: ChannelQuantF, policy: Int32Policy): RequantPair {
  const refScheme = REQUANT_REFERENCE[scheme];
  const implScheme = REQUANT_IMPL[scheme];
  const refPrepared = outcomeOrParams(() => refScheme.prepare(exactChannelQuant(c)));
  const implPrepared = outcomeOrParams(() => implScheme.prepare(c));
  if (refPrepared.error?.code !== implPrepared.error?.code) throw new Error(`prepare: reference ${refPrepared.error?.code ?? 'ok'}, impl ${implPrepared.error?.code ?? 'ok'}`);
  const error = implPrepared.error?.code ?? null;
  return {
    ref: (acc) => error ?? outcome(() => refScheme.requantize(BigInt(acc), refPrepared.params, policy)),
    impl: (acc) => error ?? outcome(() => implScheme.requantize(acc, implPrepared.params, policy)),
    implParams: implPrepared.params,
    prepareError: error,
    prepareRefusal: implPrepared.error,
  };
}

function outcomeOrParams(run: () => unknown): { params: unknown; error: QconformError | null } {
  try {
    return { params: run(), error: null };
  } catch (e) {
    if (isQconformError(e)) return { params: null, error: e };
    throw e;
  }
}
