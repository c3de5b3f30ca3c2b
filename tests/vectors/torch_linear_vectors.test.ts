import { describe, expect, it } from 'vitest';
import { TORCH_LINEAR_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';
import { decodeTensor } from '../../contract/wire.js';
import { chooseQuantizationParams } from '../../impl/linear/choose_quantization_params.js';

/**
 * The quantized linears from real PyTorch 1.13 (vectors/torch-1.13-linear): quantized::linear(_relu) on both
 * engines and quantized::linear(_relu)_dynamic on qnnpack, every case bit for bit through the reference and
 * the impl. No torch is needed to run this.
 */
const { manifest, files } = readVectorSet(TORCH_LINEAR_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases);
const count = (p: (c: (typeof cases)[number]) => boolean) => cases.filter(p).length;

describe(`linear vectors from ${manifest.oracle}`, () => {
  it('cover both engines, both weight quantizations, ReLU, bias, ties and errors (non-vacuity)', () => {
    const stat = (c: (typeof cases)[number]) => c.op === 'quantized_linear@1';
    const outputs = (c: (typeof cases)[number]) => 'outputs' in c.expect;
    expect(count((c) => stat(c) && c.attrs.scheme === 'torch-qnnpack@1' && outputs(c))).toBeGreaterThan(250);
    expect(count((c) => stat(c) && c.attrs.scheme === 'torch-onednn@1' && outputs(c))).toBeGreaterThan(250);
    expect(count((c) => !stat(c) && outputs(c))).toBeGreaterThan(350);
    for (const op of ['quantized_linear@1', 'quantized_linear_dynamic@1']) {
      expect(count((c) => c.op === op && c.attrs.weight_quantization === 'per_channel' && outputs(c)), op).toBeGreaterThan(100);
      expect(count((c) => c.op === op && c.attrs.relu === true && outputs(c)), op).toBeGreaterThan(50);
      expect(count((c) => c.op === op && c.inputs.bias === undefined && outputs(c)), op).toBeGreaterThan(50);
      expect(count((c) => c.op === op && 'error' in c.expect), op).toBeGreaterThan(5);
    }
    expect(count((c) => !stat(c) && c.attrs.reduce_range === true && outputs(c))).toBeGreaterThan(100);
    // torch's dynamic quantization took every ChooseQuantizationParams branch: scale 0.1 (x all zero) and the 6.1e-5 cut
    const scales = cases.filter((c) => !stat(c) && outputs(c)).map((c) => {
      const x = decodeTensor(c.inputs.x, 'x').data as Float32Array;
      return chooseQuantizationParams(Math.min(...x), Math.max(...x), 0, 255).scale;
    });
    expect(scales.filter((s) => s === Math.fround(0.1)).length).toBeGreaterThan(5);
    expect(scales.filter((s) => s === Math.fround(6.1e-5)).length).toBeGreaterThan(5);
  });

  itMatchesEveryCase('torch-1.13-linear', files);
});
