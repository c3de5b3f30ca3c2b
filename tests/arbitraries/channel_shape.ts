import fc from 'fast-check';

/** A tensor shape with a channel axis (0 <= axis < rank). */
export interface ChannelShape {
  readonly shape: readonly number[];
  readonly axis: number;
}

/**
 * Channel counts: mostly small, often up to `max` (40 crosses the 16 * floor(C / 16) vector/scalar split
 * of torch's elementwise min/max twice), sometimes exactly on the split.
 */
export function channelCount(max: number): fc.Arbitrary<number> {
  const nearSplit = [15, 16, 17, 32, 33].filter((c) => c <= max);
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: Math.min(4, max) }) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max }) },
    { weight: nearSplit.length > 0 ? 1 : 0, arbitrary: nearSplit.length > 0 ? fc.constantFrom(...nearSplit) : fc.constant(max) },
  );
}

/** Non-channel dimensions: 1..3, sometimes 0 (an empty tensor). */
const otherDimension = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) });

export function channelShape(o: { minRank: number; maxRank: number; maxChannels: number }): fc.Arbitrary<ChannelShape> {
  return fc
    .integer({ min: o.minRank, max: o.maxRank })
    .chain((rank) =>
      fc.record({
        axis: fc.integer({ min: 0, max: rank - 1 }),
        channels: channelCount(o.maxChannels),
        others: fc.array(otherDimension, { minLength: rank - 1, maxLength: rank - 1 }),
      }),
    )
    .map(({ axis, channels, others }) => ({ shape: [...others.slice(0, axis), channels, ...others.slice(axis)], axis }));
}

/** The axis an op is asked for: mostly the channel axis, sometimes out of range or negative (ops reject both). */
export function opAxis(s: ChannelShape): fc.Arbitrary<number> {
  return fc.oneof({ weight: 14, arbitrary: fc.constant(s.axis) }, { weight: 1, arbitrary: fc.constantFrom(s.shape.length, s.axis - s.shape.length) });
}

/** Per-channel parameter count: the channel count, rarely one more (shape_mismatch). */
export function parameterCount(channels: number): fc.Arbitrary<number> {
  return fc.oneof({ weight: 20, arbitrary: fc.constant(channels) }, { weight: 1, arbitrary: fc.constant(channels + 1) });
}
