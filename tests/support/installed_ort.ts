/**
 * onnxruntime-node for the tests that run it live: loaded as the ORT oracle loads it (ort_oracle.ts loadOrt), the test
 * failing, saying so, where it is not installed.
 */
import { expect } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import type { OrtModule } from '../../conformance/backends/onnxruntime/qlinear_conv.js';

/** The loaded onnxruntime-node module; fails the test where it is not installed. */
export async function installedOrt(): Promise<OrtModule> {
  const ort = await loadOrt();
  expect(ort, 'onnxruntime-node is installed (npm install)').not.toBeNull();
  return ort!;
}
