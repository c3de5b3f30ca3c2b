/**
 * Cases per property in tests/properties: enough to reach the rare branches (NaN eps, C = 16 vector
 * splits, invalid parameters), small enough that the whole folder runs in well under a minute on 2 cores.
 */
export const PROPERTY_RUNS = 1000;
