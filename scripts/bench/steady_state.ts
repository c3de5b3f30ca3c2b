/**
 * Steady-state timing for the benches: after a warm-up of at least MIN_RUNS runs and MIN_SECONDS (JIT tiers,
 * caches, allocator and thread pools), run until the last WINDOW timings lie within TOLERANCE of their minimum,
 * with a cap on runs and seconds; the result is the median of that window and whether it became stable before the cap.
 */
const WINDOW = 5;
const TOLERANCE = 0.05;
const MIN_RUNS = 20;
const MIN_SECONDS = 1;

export interface SteadyTiming {
  /** median seconds per run over the last WINDOW runs */
  readonly seconds: number;
  readonly runs: number;
  readonly stable: boolean;
}

export async function steadySeconds(run: () => unknown, o: { maxRuns?: number; maxSeconds?: number } = {}): Promise<SteadyTiming> {
  const maxRuns = o.maxRuns ?? 400;
  const deadline = performance.now() + (o.maxSeconds ?? 10) * 1000;
  const times: number[] = [];
  const warm = performance.now() + MIN_SECONDS * 1000;
  let stable = false;
  while (times.length < maxRuns && performance.now() < deadline) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
    if (times.length >= Math.min(MIN_RUNS, maxRuns) && performance.now() >= warm) {
      const w = times.slice(-WINDOW);
      if (Math.max(...w) <= Math.min(...w) * (1 + TOLERANCE)) {
        stable = true;
        break;
      }
    }
  }
  const w = times.slice(-WINDOW).sort((a, b) => a - b);
  return { seconds: w[Math.floor(w.length / 2)]!, runs: times.length, stable };
}
