/**
 * Brute-force cross-check of the 2^32 proof (tests/properties/conv_requant_proof.test.ts): every int32
 * accumulator through the impl of each scheme for one channel (multiplier 0.00037, zero point 3, int32
 * bias 1234 or its float equivalent), checking that the impl is monotone non-decreasing inside each
 * segment between the scheme's cut points (the proof's assumption) and equal to the reference wherever
 * its output changes. Run bundled: `npm run bench:sweep [-- scheme ...]`; without schemes it sweeps all 14 from exact@1,
 * which alone takes about two hours on a loaded 2-core machine (2.8% in 193 s at load 13); the others take minutes
 * each there (onnxruntime@1 172 s, tflite-single-rounding@1 77% in 423 s, at load 11-13), so name the schemes wanted:
 * `npm run bench:sweep -- onnxruntime@1`. A progress line goes to stderr every 10 s.
 */
import { REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { requantCuts } from '../../conformance/analysis/requant_cuts.js';
import { requantPair } from '../../conformance/analysis/requant_pair.js';
import { segments } from '../../conformance/analysis/requant_proof.js';

function channel(scheme: RequantScheme): ChannelQuantF {
  const [xScale, wScale] = [Math.fround(0.05), Math.fround(0.003)];
  const float = scheme.startsWith('torch');
  const outMin = scheme === 'cmsis-nn@1' ? -128 : 0;
  return { xScale, wScale, yScale: Math.fround(Math.fround(xScale * wScale) / 0.00037), perChannel: true, yZeroPoint: 3, bias: scheme === 'exact@1' ? null : float ? { kind: 'float32', value: Math.fround(1234 * xScale * wScale) } : { kind: 'int32', value: 1234 }, relu: false, outMin, outMax: outMin + 255, qnnpackPath: 'gemm' };
}

const PROGRESS_EVERY_MS = 10_000;
const ACCUMULATORS = 2 ** 32;
const INT32_MIN = -(2 ** 31);

/** Called every 2^20 accumulators: a line on stderr when 10 s have passed since the last one. */
function progressReporter(scheme: string, t0: number): (x: number) => void {
  let last = t0;
  return (x) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    console.error(`  ${scheme}: ${(((x - INT32_MIN) / ACCUMULATORS) * 100).toFixed(1)}% of 2^32 accumulators, ${((now - t0) / 1000).toFixed(0)} s`);
  };
}

const wanted = process.argv.slice(2).filter((a) => a.includes('@'));
for (const scheme of (wanted.length ? wanted : REQUANT_SCHEMES) as RequantScheme[]) {
  const c = channel(scheme);
  const pair = requantPair(scheme, c, 'wrap');
  const t0 = performance.now();
  let steps = 0;
  let problems = 0;
  const progress = progressReporter(scheme, t0);
  for (const [lo, hi] of segments(requantCuts(scheme, c, pair.implParams))) {
    let prev = pair.impl(lo);
    for (let x = lo + 1; x <= hi; x++) {
      if ((x & 0xfffff) === 0) progress(x);
      const v = pair.impl(x);
      if (v === prev) continue;
      steps++;
      if (typeof v !== 'number' || typeof prev !== 'number' || v < prev || pair.ref(x) !== v || pair.ref(x - 1) !== prev) {
        if (problems++ < 5) console.log(`  ${scheme} acc ${x}: impl ${prev} -> ${v}, reference ${pair.ref(x - 1)} -> ${pair.ref(x)}`);
      }
      prev = v;
    }
  }
  console.log(`${scheme.padEnd(28)} 2^32 accumulators in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${steps} output steps, ${problems === 0 ? 'monotone per segment and equal to the reference at every step' : `${problems} PROBLEMS`}`);
  if (problems) process.exitCode = 1;
}
