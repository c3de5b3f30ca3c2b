import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/dispatch.js';
import { TORCH_VECTORS_DIR, readVectorSet } from '../../conformance/vector_store/vector_set.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../spec/ops.js';
import { vectorMismatch } from '../support/vector_verdict.js';

/**
 * The golden vectors from real PyTorch 1.13 (vectors/torch-1.13): every case, bit for bit, through the
 * exact reference and the fast impl. No torch is needed to run this.
 */
const { manifest, files } = readVectorSet(TORCH_VECTORS_DIR);
const IMPLEMENTATIONS: Array<[string, QuantOps]> = [
  ['reference', reference],
  ['impl', impl],
];

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold several thousand cases, most of them with outputs', () => {
    const cases = files.flatMap((f) => f.cases);
    expect(cases.length).toBeGreaterThanOrEqual(5000);
    expect(cases.filter((c) => 'outputs' in c.expect).length / cases.length).toBeGreaterThan(0.8);
  });

  for (const [name, ops] of IMPLEMENTATIONS) {
    for (const { file, cases } of files) {
      it(`${name} matches ${file.path} (${cases.length} cases)`, () => {
        const failures: string[] = [];
        for (const c of cases) {
          const reason = vectorMismatch(c, evaluateRequest(ops, c));
          if (reason) failures.push(`${c.id}: ${reason} [replay: grep '"id":"${c.id}"' vectors/torch-1.13/${file.path} | npx qconform eval --backend ${name}]`);
        }
        expect(failures.slice(0, 5), `${failures.length} of ${cases.length} cases differ`).toEqual([]);
      });
    }
  }
});
