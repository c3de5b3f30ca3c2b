/**
 * The table form of the ONNX integer ops' bad-input tests (tests/contract/*_bad_input.test.ts): small tensor
 * builders, one row per defect (its name, the typed error code and the words its message must mention), and the
 * `it` per row that runs it on an implementation.
 */
import { it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import type { OnnxQOps } from '../../contract/onnx_qops.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { expectQconformError } from './qconform_error_assertions.js';

/** quint8 / qint8 tensors of one value, and a float32 tensor of the given values. */
export const u8 = (shape: number[], fill = 3) => intTensor('quint8', shape, new Int32Array(shape.reduce((a, b) => a * b, 1)).fill(fill));
export const s8 = (shape: number[], fill = -3) => intTensor('qint8', shape, new Int32Array(shape.reduce((a, b) => a * b, 1)).fill(fill));
export const f32 = (shape: number[], ...v: number[]) => f32Tensor(shape, v);

export interface BadInputRow {
  readonly name: string;
  readonly code: ErrorCode;
  readonly mentions: readonly string[];
  readonly run: (ops: OnnxQOps) => unknown;
}
export const row = (name: string, code: ErrorCode, mentions: readonly string[], run: (ops: OnnxQOps) => unknown): BadInputRow => ({ name, code, mentions, run });

/** One test per row: `ops` refuses the call with the row's code and a message that mentions its words. */
export function itRefusesEveryRow(rows: readonly BadInputRow[], ops: OnnxQOps): void {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_n, r) => {
    expectQconformError(() => r.run(ops), r.code, r.mentions);
  });
}
