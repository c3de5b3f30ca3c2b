import fc from 'fast-check';

/**
 * Every property runs with a pinned seed (override with QCONFORM_SEED) and, on failure, throws an error
 * whose first line is a replay line: the seed and path that reproduce the counterexample directly.
 */
export const PINNED_SEED = Number(process.env.QCONFORM_SEED ?? 20261127);

export function checkProperty<T>(name: string, arb: fc.Arbitrary<T>, predicate: (value: T) => void, numRuns = 300): void {
  const path = process.env.QCONFORM_PATH;
  const details = fc.check(fc.property(arb, (v) => {
    predicate(v);
  }), { seed: PINNED_SEED, numRuns, ...(path ? { path, endOnFailure: true } : {}) });
  throwOnFailure(name, details);
}

/** checkProperty for a predicate that awaits (the same pinned seed, replay line and counterexample on failure). */
export async function checkAsyncProperty<T>(name: string, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, numRuns = 300): Promise<void> {
  const path = process.env.QCONFORM_PATH;
  const details = await fc.check(fc.asyncProperty(arb, async (v) => {
    await predicate(v);
  }), { seed: PINNED_SEED, numRuns, ...(path ? { path, endOnFailure: true } : {}) });
  throwOnFailure(name, details);
}

function throwOnFailure<T>(name: string, details: fc.RunDetails<[T]>): void {
  if (details.failed) {
    const replay = `replay: QCONFORM_SEED=${details.seed} QCONFORM_PATH=${details.counterexamplePath} npx vitest run -t ${JSON.stringify(name)}`;
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${replay}\ncounterexample: ${fc.stringify(details.counterexample)}\n${cause}`);
  }
}
