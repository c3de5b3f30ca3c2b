/**
 * `--shard K/N`: the part of a selection one machine runs. A case belongs to shard K when a hash (hash32) of
 * its id, modulo N, is K-1: deterministic, about balanced, and stable when a vector set grows (a case never
 * moves to another shard because other cases were added). `qconform merge` puts the N reports back together.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based */
  readonly index: number;
  readonly count: number;
}

/** A --shard value that is not K/N with 1 <= K <= N. */
export class InvalidShard extends Error {
  override readonly name = 'InvalidShard';
}

export const MAX_SHARDS = 1024;

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count)) {
    throw new InvalidShard(`--shard expects K/N with 1 <= K <= N <= ${MAX_SHARDS} (e.g. 2/4), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/**
 * The first 32 bits of the SHA-256 of a string's UTF-8 bytes: the one hash shards and fuzz streams are derived with.
 * (A multiplicative hash such as FNV-1a would not do: its low bits depend only on the low bits of the characters.)
 */
export function hash32(text: string): number {
  return createHash('sha256').update(text, 'utf8').digest().readUInt32BE(0);
}

/**
 * The SHA-256 (hex) of a run's case ids, sorted and joined by newlines: what every shard of one run records of the
 * whole run's cases (`run_info.shard.run_cases_sha256`), so that `qconform merge` can tell shards run with other
 * selections apart and prove that their results together hold every case of the run, whatever the order.
 */
export function caseIdsDigest(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n'), 'utf8').digest('hex');
}

export function inShard(id: string, shard: Shard): boolean {
  return hash32(id) % shard.count === shard.index - 1;
}

/** How many of `total` items the `part`-th (0-based) of `parts` takes: the first `total % parts` take one more. */
export function shareOf(total: number, parts: number, part: number): number {
  return Math.floor(total / parts) + (part < total % parts ? 1 : 0);
}
