/**
 * The scheme's prepared parameters of every output channel of a conv (`prepare` of impl/requant on each channel's
 * channelQuant), cached per weight tensor (one layer, as XNNPACK keeps its packed init params with the operator): a
 * conv run many times with the same quantization prepares once, and layers or parts of one conv (impl/conv/parallel)
 * that share a scale or bias tensor keep entries of their own. A hit requires every input of `prepare` to still equal
 * what the entry was prepared from (scheme, scales, zero point, relu, output bounds, bias dtype and values, the qnnpack
 * path of the geometry; the caller may have written to its tensors), compared in one allocation-free pass.
 */
import type { Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { assertSchemeInputExtents } from '../../contract/conv_input_extents.js';
import { type QnnpackPath, qnnpackPath } from '../../contract/qnnpack_ukernel.js';
import { REQUANT_IMPL } from '../requant/index.js';
import { channelQuant } from './channel_quant.js';

interface PreparedEntry {
  readonly scheme: RequantScheme;
  readonly xScale: number;
  readonly yScale: number;
  readonly yZeroPoint: number;
  readonly relu: boolean;
  readonly perChannel: boolean;
  readonly outMin: number;
  readonly outMax: number;
  readonly qnnpackPath: QnnpackPath;
  readonly scales: Float64Array;
  readonly biasDtype: string | null;
  readonly bias: Float64Array | null;
  readonly params: readonly unknown[];
}

const preparedCache = new WeakMap<object, PreparedEntry>();

function sameNumbers(cached: Float64Array, data: ArrayLike<number>): boolean {
  if (cached.length !== data.length) return false;
  // Object.is: a float32 bias of -0 and one of +0 are different inputs
  for (let i = 0; i < cached.length; i++) if (!Object.is(cached[i], data[i])) return false;
  return true;
}

function hit(e: PreparedEntry, a: Conv2dArgs, g: ConvGeometry): boolean {
  const b = a.bias;
  return (
    e.scheme === a.scheme &&
    Object.is(e.xScale, a.xScale) &&
    Object.is(e.yScale, a.yScale) &&
    e.yZeroPoint === a.yZeroPoint &&
    e.relu === a.relu &&
    e.perChannel === g.perChannel &&
    e.outMin === g.outMin &&
    e.outMax === g.outMax &&
    e.qnnpackPath === qnnpackPath(a, g) &&
    e.params.length === g.oc &&
    sameNumbers(e.scales, a.weightScales.data) &&
    (b === null ? e.biasDtype === null : e.biasDtype === b.dtype && e.bias !== null && sameNumbers(e.bias, b.data))
  );
}

/**
 * Each output channel's prepared parameters; throws the scheme's refusals: its prepare's (a refusal is not cached), then
 * its input extents' (contract/conv_input_extents.ts, checked after them as XNNPACK does).
 */
export function preparedChannelParams(a: Conv2dArgs, g: ConvGeometry): readonly unknown[] {
  const params = cachedOrPrepared(a, g);
  assertSchemeInputExtents(a.scheme, g);
  return params;
}

function cachedOrPrepared(a: Conv2dArgs, g: ConvGeometry): readonly unknown[] {
  const cached = preparedCache.get(a.weight.data);
  if (cached !== undefined && hit(cached, a, g)) return cached.params;
  const scheme = REQUANT_IMPL[a.scheme];
  const params = Object.freeze(Array.from({ length: g.oc }, (_, oc) => scheme.prepare(channelQuant(a, g, oc))));
  preparedCache.set(a.weight.data, {
    scheme: a.scheme,
    xScale: a.xScale,
    yScale: a.yScale,
    yZeroPoint: a.yZeroPoint,
    relu: a.relu,
    perChannel: g.perChannel,
    outMin: g.outMin,
    outMax: g.outMax,
    qnnpackPath: qnnpackPath(a, g),
    scales: Float64Array.from(a.weightScales.data),
    biasDtype: a.bias === null ? null : a.bias.dtype,
    bias: a.bias === null ? null : Float64Array.from(a.bias.data),
    params,
  });
  return params;
}
