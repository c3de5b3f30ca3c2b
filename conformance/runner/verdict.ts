/**
 * The verdict on one answered case. Outputs must equal the golden ones exactly; an expected error
 * must come back with the same typed code. For input that qconform's contract rejects although torch
 * accepts it (expect.error with oracle_outputs), a backend may instead return exactly torch's recorded
 * outputs, since it then behaves as torch 1.13 does; `strictContract` turns that allowance off.
 */
import type { WireResponse } from '../protocol/messages.js';
import type { VectorCase } from '../vectors/vector_set.js';
import { type OutputDifference, outputDifference } from './output_diff.js';

export type AnswerVerdict = { pass: true; note?: string } | { pass: false; difference: OutputDifference };

export function judgeAnswer(c: VectorCase, got: WireResponse, { strictContract = false } = {}): AnswerVerdict {
  const want = c.expect;
  if ('error' in want) {
    if ('error' in got) {
      return got.error.code === want.error.code ? { pass: true } : { pass: false, difference: { message: `expected error ${want.error.code}, got error ${got.error.code}: ${got.error.message}` } };
    }
    const oracle = want.error.oracle_outputs;
    if (oracle && !strictContract && outputDifference(c, oracle, got.outputs) === null) {
      return { pass: true, note: `returned the oracle's outputs for input the contract rejects (${want.error.code})` };
    }
    return { pass: false, difference: { message: `expected error ${want.error.code}, got outputs` } };
  }
  if ('error' in got) return { pass: false, difference: { message: `expected outputs, got error ${got.error.code}: ${got.error.message}` } };
  const difference = outputDifference(c, want.outputs, got.outputs);
  return difference ? { pass: false, difference } : { pass: true };
}
