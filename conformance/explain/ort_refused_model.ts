/**
 * A model ONNX Runtime 1.30 refuses, when it loads it (the ONNX checker, graph.cc, tensorprotoutils.cc) or when it runs
 * the layer (a kernel's own check): `qconform explain` refuses it too, a ModelReadError that says what is wrong in
 * explain's words and quotes ORT's message (`ort`, measured on onnxruntime-node 1.30 by the tests that build each such
 * model: tests/explain/ort_refused_models.test.ts), instead of analysing a model ORT never runs.
 */
import { ModelReadError } from './model_types.js';

export class OrtRefusedModelError extends ModelReadError {
  constructor(
    path: string,
    /** what is wrong, in explain's words */
    why: string,
    /** ORT 1.30's message (or its distinctive part) */
    readonly ort: string,
    /** when ORT refuses it: loading the model, or running the layer */
    when: 'load' | 'run' = 'load',
  ) {
    super(path, `${why}; ONNX Runtime 1.30 refuses it ${when === 'load' ? 'when it loads the model' : 'when it runs the layer'}: "${ort}"`);
  }
}
