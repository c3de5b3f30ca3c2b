/**
 * An estimate of the core's clock while the bench runs, so a slow run can be told from a slow build: a dependent chain
 * of 32-bit multiplies and adds (imul, 3 cycles of latency, then an add, 1: 4 cycles a step on x86 cores, whatever
 * else the loop does beside it) timed for about 50 ms, the median of 5 rounds. On a shared virtual machine the clock
 * (turbo, other tenants) moves every row's GMAC/s, impl's and the native peers' alike.
 */
const CYCLES_PER_STEP = 4;
const STEPS = 4e7;

function chain(steps: number, seed: number): number {
  let x = seed;
  for (let i = 0; i < steps; i++) x = (Math.imul(x, 0x9e3779b1) + 1) | 0;
  return x;
}

/** The core's clock in GHz (median of 5 timed rounds after a warm-up). */
export function coreClockGhz(): number {
  let sink = chain(1e6, 1); // compiled by the optimizing tier before timing
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    sink ^= chain(STEPS, r);
    rounds.push((STEPS * CYCLES_PER_STEP) / ((performance.now() - t0) * 1e6));
  }
  if (sink === 0.5) console.log(sink); // never: keeps the chain's result alive
  return rounds.sort((a, b) => a - b)[2]!;
}
