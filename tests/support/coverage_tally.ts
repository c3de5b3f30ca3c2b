import { expect } from 'vitest';
import { DTYPE_RANGE, QUANT_DTYPES, type QuantDtype } from '../../contract/dtypes.js';
import { float32BitsOf } from '../../contract/float_bits.js';
import type { IntTensor } from '../../contract/tensor.js';
import type { Outcome } from './agreement.js';

/** Lower bounds that keep an agreement property from passing vacuously (every case an error, one output...). */
export interface NonVacuityBounds {
  /** share of cases where the ops returned outputs rather than errors */
  readonly minOutputShare: number;
  /** distinct output element values seen over the run */
  readonly minDistinctOutputs: number;
  /** share of quantized elements strictly inside the dtype range (quantize ops only) */
  readonly minUnsaturatedShare?: number;
  /** cases whose input held at least one exact tie f32(x * inv) = k + 0.5 */
  readonly minTieCases?: number;
}

function isQuantDtype(dtype: string): dtype is QuantDtype {
  return (QUANT_DTYPES as readonly string[]).includes(dtype);
}

/** Every scalar inside an output (tensor elements by their bits for floats), prefixed by where it sits. */
function outputKeys(value: unknown, path: string, keys: Set<string>): void {
  if (value instanceof Float32Array) value.forEach((v) => keys.add(`${path}:f${float32BitsOf(v)}`));
  else if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array || value instanceof Int8Array) value.forEach((v) => keys.add(`${path}:${v}`));
  else if (typeof value === 'number') keys.add(`${path}:${value}`);
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) outputKeys(v, `${path}.${k}`, keys);
  }
}

/** Counts, across one property run, what the generated cases actually exercised. */
export class CoverageTally {
  private cases = 0;
  private outputs = 0;
  private readonly distinct = new Set<string>();
  private quantizedElements = 0;
  private unsaturatedElements = 0;
  private tieCases = 0;
  private readonly errorCodes = new Map<string, number>();

  record(outcome: Outcome<unknown>): void {
    this.cases++;
    if (outcome.kind === 'error') {
      this.errorCodes.set(outcome.code, (this.errorCodes.get(outcome.code) ?? 0) + 1);
      return;
    }
    this.outputs++;
    outputKeys(outcome.value, '', this.distinct);
  }

  /** Quantized outputs: how many elements landed strictly inside the dtype range. */
  recordQuantized(q: IntTensor): void {
    if (!isQuantDtype(q.dtype)) return;
    const { min, max } = DTYPE_RANGE[q.dtype];
    this.quantizedElements += q.data.length;
    q.data.forEach((v) => {
      if (v > min && v < max) this.unsaturatedElements++;
    });
  }

  recordTies(tiesInCase: number): void {
    if (tiesInCase > 0) this.tieCases++;
  }

  summary(): string {
    const errors = [...this.errorCodes].map(([code, n]) => `${code}=${n}`).join(' ');
    const unsaturated = this.quantizedElements ? ` unsaturated=${this.unsaturatedElements}/${this.quantizedElements}` : '';
    return `cases=${this.cases} outputs=${this.outputs} distinct=${this.distinct.size}${unsaturated} tieCases=${this.tieCases} errors: ${errors || 'none'}`;
  }

  /**
   * Asserts the bounds. Skipped when a single counterexample is replayed (QCONFORM_PATH): one case
   * cannot meet bounds meant for a whole run.
   */
  expectNonVacuous(bounds: NonVacuityBounds): void {
    if (process.env.QCONFORM_COVERAGE) console.info(this.summary());
    if (process.env.QCONFORM_PATH) return;
    const context = this.summary();
    expect(this.outputs / this.cases, `output share; ${context}`).toBeGreaterThanOrEqual(bounds.minOutputShare);
    expect(this.distinct.size, `distinct outputs; ${context}`).toBeGreaterThanOrEqual(bounds.minDistinctOutputs);
    if (bounds.minUnsaturatedShare !== undefined) {
      const share = this.unsaturatedElements / this.quantizedElements;
      expect(share, `unsaturated share; ${context}`).toBeGreaterThanOrEqual(bounds.minUnsaturatedShare);
    }
    if (bounds.minTieCases !== undefined) expect(this.tieCases, `tie cases; ${context}`).toBeGreaterThanOrEqual(bounds.minTieCases);
  }
}
