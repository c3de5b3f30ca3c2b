/**
 * Real outputs of torch 1.13.1's onednn quantized::conv2d on x86 without VNNI (QEMU -cpu Haswell and
 * -cpu Nehalem gave identical outputs; tests/fixtures/onednn_novnni): the reference and the impl reproduce
 * every one bit for bit with the accumulator model the kernel route picks (onednn_paths.ts). Not vacuous:
 * the exact (int32_wrap) model, the old route (sat16_pairs only when groups == 1, no float compensation)
 * and plain sat16_pairs on the 1x1 kernel each fail recorded cases, counted below.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { onednnAccumulator, onednnKernel, onednnVerboseName } from '../../conformance/backends/torch/onednn_paths.js';
import type { Accumulator } from '../../contract/conv.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type RecordedConv, loadRecordedConvs, onednnGeometry, recordedOutput, recordedRequest } from './novnni_fixture.js';

function outputs(ops: typeof impl | typeof reference, c: RecordedConv, accumulator: Accumulator): number[] | string {
  const res = evaluateRequest(ops, recordedRequest(c, accumulator));
  if ('error' in res) return `${res.error.code}: ${res.error.message}`;
  return (res.outputs.y as { values: number[] }).values;
}

const same = (got: number[] | string, want: number[]) => Array.isArray(got) && got.length === want.length && got.every((v, i) => v === want[i]);

describe('torch 1.13.1 onednn without VNNI: recorded real outputs', () => {
  const convs = loadRecordedConvs();

  it('reference and impl reproduce every recorded output with the routed accumulator', () => {
    const wrong: string[] = [];
    for (const c of convs) {
      const g = onednnGeometry(c.geometry);
      for (const isa of ['avx2', 'sse41'] as const) {
        const kernel = onednnKernel(isa, g);
        if (kernel === 'vnni' || onednnVerboseName(isa, kernel) !== c.kernels[isa]) wrong.push(`${c.id}: ${isa} route ${kernel}, ran ${c.kernels[isa]}`);
      }
      const accumulator = onednnAccumulator('avx2', g);
      expect(onednnAccumulator('sse41', g)).toBe(accumulator);
      const want = recordedOutput(c);
      for (const [name, ops] of [['impl', impl], ['reference', reference]] as const) {
        if (!same(outputs(ops, c, accumulator), want)) wrong.push(`${c.id}: ${name} with ${accumulator} differs from torch`);
      }
    }
    expect(wrong).toEqual([]);
    expect(convs.length).toBeGreaterThan(350);
  }, 600_000);

  it('needs the route: the exact model, the old groups == 1 rule and plain sat16_pairs each fail recorded cases', () => {
    const fails = { exact: 0, oldRule: 0, oldRuleGrouped: 0, plainSat16On1x1: 0, casesOn1x1Kernel: 0 };
    for (const c of convs) {
      const g = onednnGeometry(c.geometry);
      const want = recordedOutput(c);
      const routed = onednnAccumulator('avx2', g);
      if (!same(outputs(impl, c, 'int32_wrap'), want)) fails.exact++;
      const old: Accumulator = g.groups === 1 ? 'sat16_pairs' : 'int32_wrap';
      if (!same(outputs(impl, c, old), want)) {
        fails.oldRule++;
        if (g.groups > 1) fails.oldRuleGrouped++;
      }
      if (routed === 'sat16_pairs_f32_zp') {
        fails.casesOn1x1Kernel++;
        if (!same(outputs(impl, c, 'sat16_pairs'), want)) fails.plainSat16On1x1++;
      }
    }
    expect(fails).toEqual({ exact: 209, oldRule: 33, oldRuleGrouped: 22, plainSat16On1x1: 11, casesOn1x1Kernel: 63 });
  }, 600_000);
});
