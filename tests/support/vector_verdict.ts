import { expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { type WireResponse } from '../../conformance/protocol/messages.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import type { VectorCase, LoadedFile } from '../../conformance/vectors/vector_set.js';
import { BYTE_CONVS, IMPLEMENTATIONS, IMPL_ON_BYTES, WASM_CONVS, replayBackend } from './implementations.js';

/**
 * Compare an implementation's response with a golden case, exactly (the runner's verdict, with the
 * contract strict: reference and impl must raise the typed error where torch returned garbage).
 * Returns null when they agree, else a one-line reason.
 */
export function vectorMismatch(c: VectorCase, got: WireResponse): string | null {
  const verdict = judgeAnswer(c, got, { strictContract: true });
  return verdict.pass ? null : verdict.difference.message;
}

/** Whether impl's WebAssembly conv covers a case: a conv on the int32_wrap or exact accumulator. */
function wasmCovers(c: VectorCase): boolean {
  return c.op === 'quantized_conv2d@1' && (c.attrs?.accumulator === undefined || c.attrs.accumulator === 'int32_wrap' || c.attrs.accumulator === 'exact');
}

/**
 * Whether a case runs on the depthwise 3x3 WebAssembly kernel (impl/conv/wasm/kernel_kind.ts isDepthwise3x3): one input channel
 * per group, 3x3, stride (1 or 2, 1), no dilation, an accumulator that kernel serves (sat16_pairs is int32_wrap's sum there).
 */
function depthwise3x3Covers(c: VectorCase): boolean {
  if (!wasmCovers(c) && c.attrs?.accumulator !== 'sat16_pairs') return false;
  const w = (c.inputs?.weight as { shape?: number[] } | undefined)?.shape;
  const stride = c.attrs?.stride as number[] | undefined;
  const dilation = c.attrs?.dilation as number[] | undefined;
  return w !== undefined && w[1] === 1 && w[2] === 3 && w[3] === 3 && stride !== undefined && stride[1] === 1 && (stride[0] === 1 || stride[0] === 2) && dilation !== undefined && dilation[0] === 1 && dilation[1] === 1;
}

/**
 * One test per implementation and vector file of `vectors/<setName>`: every case bit for bit, the
 * first five differing cases reported with the line that replays them. `impl-js` (impl's conv on JavaScript) and
 * `impl-bytes` (on WebAssembly with one-byte tensors) run only the files that hold convs: every other op has one
 * path. On `impl` and `impl-bytes`, a file with convs that the
 * WebAssembly kernels cover must have had some of them computed there, and every conv of the depthwise 3x3 kernel's
 * geometry that has outputs on that kernel.
 */
/**
 * A hang bound, not a speed assertion: the exact reference takes about a minute on the largest files (torch 2.6's
 * HistogramObserver sequences) and more than the suite's 120 s default on a loaded 2-core machine.
 */
const VECTOR_FILE_TIMEOUT_MS = 600_000;

export function itMatchesEveryCase(setName: string, files: readonly LoadedFile[]): void {
  for (const [name, ops] of [...IMPLEMENTATIONS, IMPL_ON_BYTES]) {
    const onWasm = name === 'impl' || name === 'impl-bytes';
    for (const { file, cases } of files) {
      if ((name === 'impl-js' || name === 'impl-bytes') && !cases.some((c) => c.op === 'quantized_conv2d@1')) continue;
      it(`${name} matches ${file.path} (${cases.length} cases)`, () => {
        const before = WASM_CONVS.wasm;
        const bytesBefore = BYTE_CONVS.run;
        const fastBefore = WASM_CONVS.kernels.depthwise_3x3 ?? 0;
        const failures = cases.flatMap((c) => {
          const reason = vectorMismatch(c, evaluateRequest(ops, c));
          return reason ? [`${c.id}: ${reason} [replay: grep '"id":"${c.id}"' vectors/${setName}/${file.path} | ${replayBackend(name)}]`] : [];
        });
        expect(failures.slice(0, 5), `${failures.length} of ${cases.length} cases differ`).toEqual([]);
        if (onWasm && cases.some((c) => wasmCovers(c) && 'outputs' in c.expect)) expect(WASM_CONVS.wasm, 'convs computed by WebAssembly').toBeGreaterThan(before);
        if (name === 'impl-bytes' && cases.some((c) => c.op === 'quantized_conv2d@1' && 'outputs' in c.expect)) expect(BYTE_CONVS.run, 'convs run on one-byte tensors').toBeGreaterThan(bytesBefore);
        const fast = cases.filter((c) => depthwise3x3Covers(c) && 'outputs' in c.expect).length;
        if (onWasm && fast > 0) expect(WASM_CONVS.kernels.depthwise_3x3 ?? 0, 'convs computed by the depthwise 3x3 kernel').toBeGreaterThanOrEqual(fastBefore + fast);
      }, VECTOR_FILE_TIMEOUT_MS);
    }
  }
}
