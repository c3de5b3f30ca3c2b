import { describe, expect, it } from 'vitest';
import { TORCH_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The golden vectors from real PyTorch 1.13 (vectors/torch-1.13): every case, bit for bit, through the
 * exact reference and the fast impl. No torch is needed to run this.
 */
const { manifest, files } = readVectorSet(TORCH_VECTORS_DIR);

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold several thousand cases, most of them with outputs', () => {
    const cases = files.flatMap((f) => f.cases);
    expect(cases.length).toBeGreaterThanOrEqual(5000);
    expect(cases.filter((c) => 'outputs' in c.expect).length / cases.length).toBeGreaterThan(0.8);
  });

  itMatchesEveryCase('torch-1.13', files);
});
