/**
 * Distinguishing vectors: a few one-output requantizations on which the schemes of contract/conv.ts disagree,
 * chosen greedily from a candidate list until every pair of schemes that can differ does differ on some
 * row. Outputs come from the exact reference. Schemes run on qint8 outputs, except the torch ones which
 * only take quint8: their outputs are shown minus 128 with the zero point moved by 128, so every column
 * reads on the same grid. `npm run docs:distinguishing` rewrites docs/conv_distinguishing.md; a test
 * regenerates the table and requires the file to match.
 */
import { REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { accumulatorMarkdownLines } from './accumulator_distinguishing.js';
import { requantPair } from './requant_pair.js';

export interface Candidate {
  readonly label: string;
  /** accumulator (sum of (x - zx)(w - zw)) */
  readonly acc: number;
  /** s_x * s_w / s_y, the real multiplier; s_x = 2^-4 and s_w = 2^-6 exactly */
  readonly multiplier: number;
  /** qint8 output zero point */
  readonly zeroPoint: number;
  /** bias in accumulator units (the float bias is this times s_x * s_w) */
  readonly bias: number;
}

const SX = 2 ** -4;
const SW = 2 ** -6;

export const CANDIDATES: readonly Candidate[] = [
  { label: 'tie +2.5 (acc 5, M 1/2)', acc: 5, multiplier: 0.5, zeroPoint: 0, bias: 0 },
  { label: 'tie -2.5 (acc -5, M 1/2)', acc: -5, multiplier: 0.5, zeroPoint: 0, bias: 0 },
  { label: 'double rounding (acc 1, M 1/4)', acc: 1, multiplier: 0.25, zeroPoint: 0, bias: 0 },
  { label: 'tie -0.5 (acc -2, M 1/4)', acc: -2, multiplier: 0.25, zeroPoint: 0, bias: 0 },
  { label: 'tie with odd zero point (acc 5, M 1/2, zp 1)', acc: 5, multiplier: 0.5, zeroPoint: 1, bias: 0 },
  { label: 'float bias tie (acc 0, bias 1/2, M 1)', acc: 0, multiplier: 1, zeroPoint: 0, bias: 0.5 },
  { label: 'float bias 1.5 (acc 0, M 1)', acc: 0, multiplier: 1, zeroPoint: 0, bias: 1.5 },
  { label: 'f32(acc) rounds (acc 2^24+1, M 2^-25)', acc: 2 ** 24 + 1, multiplier: 2 ** -25, zeroPoint: 0, bias: 0 },
  { label: 'zero point added in float (acc 0, bias 2.5000002, zp 100)', acc: 0, multiplier: 1, zeroPoint: 100, bias: 2.5000002 },
  { label: 'requant overflow (acc 32385, M 10^5)', acc: 32385, multiplier: 1e5, zeroPoint: 0, bias: 0 },
  { label: 'huge multiplier (acc 3, M 2^30)', acc: 3, multiplier: 2 ** 30, zeroPoint: 0, bias: 0 },
  { label: 'tiny multiplier (acc 2^30, M 2^-33)', acc: 2 ** 30, multiplier: 2 ** -33, zeroPoint: 0, bias: 0 },
  { label: 'bias near INT32_MAX (acc 100, bias 2^31 - 50, M 2^-24)', acc: 100, multiplier: 2 ** -24, zeroPoint: 0, bias: 2 ** 31 - 50 },
  { label: 'non-float32 multiplier (acc 1001, M 0.1)', acc: 1001, multiplier: 0.1, zeroPoint: 0, bias: 0 },
  { label: 'scale 3 (acc 41, M 3)', acc: 41, multiplier: 3, zeroPoint: 0, bias: 0 },
];

/** The channel of a candidate for one scheme (quint8 grid for torch schemes, qint8 otherwise). */
function channelFor(scheme: RequantScheme, c: Candidate): ChannelQuantF {
  const rules = SCHEME_RULES[scheme];
  const unsigned = !rules.activations.includes('qint8');
  const shift = unsigned ? 128 : 0;
  const bias = c.bias === 0 ? null : rules.bias.includes('int32') ? { kind: 'int32' as const, value: Math.round(c.bias) } : { kind: 'float32' as const, value: Math.fround(c.bias * SX * SW) };
  return { xScale: SX, wScale: SW, yScale: (SX * SW) / c.multiplier, perChannel: false, yZeroPoint: c.zeroPoint + shift, bias, relu: false, outMin: -128 + shift, outMax: 127 + shift, qnnpackPath: 'gemm' };
}

/** The candidate's output under a scheme, on the qint8 grid, or the error code. */
export function outcome(scheme: RequantScheme, c: Candidate): number | string {
  const shift = SCHEME_RULES[scheme].activations.includes('qint8') ? 0 : 128;
  const pair = requantPair(scheme, channelFor(scheme, c), 'wrap');
  const r = pair.ref(c.acc);
  return typeof r === 'number' ? r - shift : r;
}

export interface DistinguishingTable {
  readonly rows: readonly Candidate[];
  readonly outputs: ReadonlyArray<ReadonlyArray<number | string>>;
  /** pairs no candidate separates */
  readonly inseparable: ReadonlyArray<readonly [RequantScheme, RequantScheme]>;
}

/** Greedy cover: repeatedly take the candidate that separates the most still-unseparated pairs. */
export function distinguishingTable(): DistinguishingTable {
  const all = CANDIDATES.map((c) => REQUANT_SCHEMES.map((s) => outcome(s, c)));
  const pairs: Array<[number, number]> = [];
  REQUANT_SCHEMES.forEach((_, i) => REQUANT_SCHEMES.forEach((__, j) => j > i && pairs.push([i, j])));
  let open = pairs.filter(([i, j]) => all.some((o) => o[i] !== o[j]));
  const inseparable = pairs.filter((p) => !open.includes(p)).map(([i, j]) => [REQUANT_SCHEMES[i]!, REQUANT_SCHEMES[j]!] as const);
  const chosen: number[] = [];
  while (open.length) {
    let best = -1;
    let bestCount = 0;
    all.forEach((o, k) => {
      const n = open.filter(([i, j]) => o[i] !== o[j]).length;
      if (n > bestCount) [best, bestCount] = [k, n];
    });
    chosen.push(best);
    open = open.filter(([i, j]) => all[best]![i] === all[best]![j]);
  }
  chosen.sort((a, b) => a - b);
  return { rows: chosen.map((k) => CANDIDATES[k]!), outputs: chosen.map((k) => all[k]!), inseparable };
}

export function distinguishingMarkdown(): string {
  const t = distinguishingTable();
  const short = REQUANT_SCHEMES.map((s) => s.replace('@1', ''));
  const lines = [
    '# Distinguishing vectors: which requantization scheme does a backend implement?',
    '',
    'Generated by `npm run docs:distinguishing` (conformance/analysis/distinguishing.ts) from the exact reference; a test',
    'regenerates it. Each row is one output of a 1x1 conv: accumulator `acc`, real multiplier M = s_x s_w / s_y',
    '(s_x = 2^-4, s_w = 2^-6 exactly), output zero point, bias in accumulator units (times s_x s_w as a float32 for',
    'the torch schemes; rounded half up to an int32 for the others, so a bias of 1/2 is 1 there). Outputs are on the',
    'qint8 grid; the torch schemes (quint8 only) run',
    'with zero point + 128 and are shown minus 128. Run these rows through a backend and compare its column: every',
    'pair of schemes differs on at least one row, except the pairs listed below.',
    '',
    `| case | ${short.join(' | ')} |`,
    `|---|${short.map(() => '---').join('|')}|`,
    ...t.rows.map((c, k) => `| ${c.label} | ${t.outputs[k]!.map((o) => (typeof o === 'number' ? String(o) : `\`${o}\``)).join(' | ')} |`),
    '',
    t.inseparable.length === 0
      ? 'Every pair of schemes is separated.'
      : `Pairs no candidate separates (identical on every candidate; with positive multipliers they differ at most on INT32_MIN x INT32_MIN or in refusals): ${t.inseparable.map(([a, b]) => `${a} / ${b}`).join('; ')}.`,
    '',
    ...accumulatorMarkdownLines(),
  ];
  return lines.join('\n');
}
