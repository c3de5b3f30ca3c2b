/**
 * Steady-state timing for the benches: run until the last WINDOW timings lie within TOLERANCE of their minimum
 * (JIT tiers, caches, allocator and thread pools warmed up), with a cap on runs and seconds; the result is the
 * median of that window and whether it became stable before the cap.
 */
const WINDOW = 5;
const TOLERANCE = 0.05;

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
  let stable = false;
  while (times.length < maxRuns && performance.now() < deadline) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
    if (times.length >= WINDOW) {
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
