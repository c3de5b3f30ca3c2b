/**
 * Steady-state timing for the benches, in two phases. Warm-up (JIT tiers, caches, the allocator's and the garbage
 * collector's steady state, thread pools): at least MIN_WARM_RUNS runs and MIN_WARM_SECONDS, then until the median of
 * the last window of timings is within TOLERANCE of the median of the window before them (`stable`), or half the
 * budget is spent. A window is at least WINDOW_RUNS runs and WINDOW_SECONDS, and the two are compared once per window
 * (not after every run: a sub-millisecond op would get thousands of chances a second to pass by luck). Measurement: at
 * least SAMPLE_RUNS runs and SAMPLE_SECONDS (within the budget); the result is the median of those samples, with their
 * 10th and 90th percentiles as the spread. No minimum is reported as the result: on a shared machine a minimum (or a
 * quiet window of a few runs) says how fast a run can be, not how fast runs are.
 * The budget is time (`maxSeconds`). A run cap (`maxRuns`) is for ops slow enough that a few runs must do (the exact
 * reference, the JavaScript path); below 2 * MIN_WARM_RUNS runs settling is never checked and `stable` is false. A
 * default run cap once ended a sub-millisecond op's warm-up after 500 runs (under 0.2 s), before MIN_WARM_SECONDS,
 * so its settling was never checked and its samples were taken within the first second of its life.
 * scripts/bench/torch_conv_bench.py times torch the same way.
 */
const WINDOW_RUNS = 15;
const WINDOW_SECONDS = 0.25;
const TOLERANCE = 0.03;
const MIN_WARM_RUNS = 2 * WINDOW_RUNS;
const MIN_WARM_SECONDS = 1;
const SAMPLE_RUNS = 41;
const SAMPLE_SECONDS = 1;

export interface SteadyTiming {
  /** median seconds per run over the measured samples */
  readonly seconds: number;
  /** 10th and 90th percentile seconds per run over the samples */
  readonly p10: number;
  readonly p90: number;
  /** measured samples and all runs (warm-up included) */
  readonly samples: number;
  readonly runs: number;
  /** whether the warm-up's median settled before its budget ran out */
  readonly stable: boolean;
}

const median = (xs: readonly number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/** The q-quantile of sorted values (nearest rank, the upper middle one for an even count's median). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function steadySeconds(run: () => unknown, o: { maxRuns?: number; maxSeconds?: number } = {}): Promise<SteadyTiming> {
  const maxRuns = o.maxRuns ?? Number.POSITIVE_INFINITY;
  const maxSeconds = o.maxSeconds ?? 12;
  const t0 = performance.now();
  const time = async () => {
    const s = performance.now();
    await run();
    return (performance.now() - s) / 1000;
  };
  const warm: number[] = [];
  let stable = false;
  const warmRuns = Math.floor(maxRuns / 2);
  const warmDeadline = t0 + (maxSeconds / 2) * 1000;
  let nextCheck = MIN_WARM_RUNS;
  while (warm.length < warmRuns && performance.now() < warmDeadline) {
    warm.push(await time());
    if (warm.length >= nextCheck && performance.now() - t0 >= MIN_WARM_SECONDS * 1000) {
      // runs per window from the mean time per run so far (never 0, unlike a median of timings below the clock's grain)
      const window = Math.max(WINDOW_RUNS, Math.ceil((WINDOW_SECONDS * 1000 * warm.length) / (performance.now() - t0)));
      if (warm.length >= 2 * window) {
        const before = median(warm.slice(-2 * window, -window));
        const last = median(warm.slice(-window));
        if (Math.abs(last - before) <= TOLERANCE * Math.min(last, before)) {
          stable = true;
          break;
        }
      }
      nextCheck = warm.length + window;
    }
  }
  const samples: number[] = [];
  const s0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  while (samples.length === 0 || (warm.length + samples.length < maxRuns && performance.now() < deadline && (samples.length < SAMPLE_RUNS || performance.now() - s0 < SAMPLE_SECONDS * 1000))) {
    samples.push(await time());
  }
  const sorted = samples.sort((a, b) => a - b);
  return { seconds: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9), samples: sorted.length, runs: warm.length + sorted.length, stable };
}
