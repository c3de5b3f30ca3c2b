/**
 * The first case of each ORT vector file whose recorded answer is outputs (a request ORT computes), one per op of the
 * onnxruntime backend (vectors/onnxruntime-1.30, -ops and -qdq), and its integer inputs by name: the base requests the
 * live ORT adapter tests edit one input of (tests/backends/ort_wrapped_integers.test.ts, ort_dtype_not_given.test.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { WireRequest } from '../../conformance/protocol/messages.js';

export type WireInt = { dtype: string; shape: number[]; values: number[] };

function firstComputedCases(dir: string): WireRequest[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => {
      const line = readFileSync(`${dir}/${f}`, 'utf8').split('\n').find((l) => l !== '' && 'outputs' in (JSON.parse(l) as { expect: object }).expect);
      if (!line) return [];
      const { id, op, attrs, inputs } = JSON.parse(line) as WireRequest;
      return [{ id, op, attrs, inputs }];
    });
}

export const ORT_FIRST_CASES: readonly WireRequest[] = ['vectors/onnxruntime-1.30', 'vectors/onnxruntime-1.30-ops', 'vectors/onnxruntime-1.30-qdq'].flatMap(firstComputedCases);

/** Integer inputs (json `values`) by name, a list input flattened as inputs.k.name. */
export function intInputs(inputs: Record<string, unknown>, prefix = ''): [string, WireInt][] {
  return Object.entries(inputs).flatMap(([name, v]): [string, WireInt][] => {
    if (Array.isArray(v)) return v.flatMap((t, k) => intInputs(t as Record<string, unknown>, `${prefix}${name}.${k}.`));
    const t = v as Partial<WireInt>;
    return t && Array.isArray(t.values) && t.values.length > 0 ? [[`${prefix}${name}`, t as WireInt]] : [];
  });
}

/** `r` with the integer input at `path` replaced by `edit` of a copy, as request `id`. */
export function withInput(r: WireRequest, path: string, edit: (t: WireInt) => void, id: string): WireRequest {
  const copy = JSON.parse(JSON.stringify(r)) as WireRequest;
  const hit = intInputs(copy.inputs as Record<string, unknown>).find(([p]) => p === path)!;
  edit(hit[1]);
  return { ...copy, id };
}
