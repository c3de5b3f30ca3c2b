import type fc from 'fast-check';
import { it } from 'vitest';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../contract/ops.js';
import { type Outcome, expectSameResult } from './agreement.js';
import { CoverageTally, type NonVacuityBounds } from './coverage_tally.js';
import { checkProperty } from './property.js';
import { PROPERTY_RUNS } from './run_budget.js';

export interface AgreementProperty<C, T> {
  /** test and property name; `-t` of the replay line matches it, so keep regex metacharacters out */
  readonly name: string;
  readonly cases: fc.Arbitrary<C>;
  /** the op call, identical for both implementations */
  readonly run: (ops: QuantOps, c: C) => T;
  readonly bounds: NonVacuityBounds;
  /** extra tallying for one case: saturation of quantized outputs, ties in the inputs */
  readonly tallyCase?: (tally: CoverageTally, c: C, outcome: Outcome<T>) => void;
  /** defaults to PROPERTY_RUNS */
  readonly numRuns?: number;
}

/** One vitest test: reference and impl agree bit for bit on every generated case, and the cases were not vacuous. */
export function itAgrees<C, T>(p: AgreementProperty<C, T>): void {
  it(p.name, () => {
    const tally = new CoverageTally();
    checkProperty(
      p.name,
      p.cases,
      (c) => {
        const outcome = expectSameResult(() => p.run(reference, c), () => p.run(impl, c));
        tally.record(outcome);
        p.tallyCase?.(tally, c, outcome);
      },
      p.numRuns ?? PROPERTY_RUNS,
    );
    tally.expectNonVacuous(p.bounds);
  });
}
