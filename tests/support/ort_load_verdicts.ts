/**
 * The verdicts the explain tests compare on one model: onnxruntime-node 1.30 loading it (and running it), live, and
 * explain's reader (conformance/explain/onnx_model.ts readOnnxModel) reading it. Each returns the error, or null;
 * expectReadRefusalQuoting checks explain's refusal that quotes ORT's.
 */
import { expect } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { installedOrt } from './installed_ort.js';

/** ORT's graph optimization levels the tests measure at. */
export type OrtGraphLevel = 'all' | 'disabled';

/**
 * ORT 1.30's error loading `bytes`, or null when it loads. `level`: the session's graph optimizations; without it, no
 * level is set and ORT's default applies (onnxruntime/core/framework/session_options.h graph_optimization_level), which
 * the tests that name no level measured; 'all' is MaxLevel (abi_session_options.cc SetSessionGraphOptimizationLevel).
 */
export async function ortLoadError(bytes: Uint8Array, level?: OrtGraphLevel): Promise<string | null> {
  const ort = await installedOrt();
  try {
    const session = await ort.InferenceSession.create(bytes, level === undefined ? {} : { graphOptimizationLevel: level });
    await session.release();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** ORT 1.30 loading `bytes` and running it on x [1, 3, 8, 8] of 0.3: its error, else null. */
export async function ortRunError(bytes: Uint8Array): Promise<string | null> {
  const ort = await installedOrt();
  try {
    const session = await ort.InferenceSession.create(bytes);
    await session.run({ x: new ort.Tensor('float32', new Float32Array(192).fill(0.3), [1, 3, 8, 8]) });
    await session.release();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** What explain's reader throws reading `bytes` as m.onnx, or null when it reads the model. */
export function explainReadError(bytes: Uint8Array): unknown {
  try {
    readOnnxModel('m.onnx', bytes);
    return null;
  } catch (e) {
    return e;
  }
}

/**
 * explain's reader refuses `bytes` with an OrtRefusedModelError quoting ORT's `ort`, its message `why` then ORT's words;
 * `label` names the case where it is no such error.
 */
export function expectReadRefusalQuoting(bytes: Uint8Array, why: string, ort: string, label: string): void {
  const e = explainReadError(bytes);
  expect(e, label).toBeInstanceOf(OrtRefusedModelError);
  expect((e as OrtRefusedModelError).ort).toBe(ort);
  expect((e as Error).message).toBe(`m.onnx: ${why}; ONNX Runtime 1.30 refuses it when it loads the model: "${ort}"`);
}
