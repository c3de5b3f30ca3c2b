/**
 * The oneDNN kernel route (conformance/backends/torch/onednn_paths.ts) against the kernels torch 1.13.1's
 * onednn engine really chose under QEMU Haswell (avx2) and Nehalem (sse41), 848 recorded runs, and the
 * Python adapter's copy of the rule (python/onednn_paths.py, run by /usr/bin/python3) against the
 * TypeScript one on the recorded geometries and on generated ones.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drawGeometry } from '../../conformance/cases/conv_geometry.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { ONEDNN_ISAS, onednnAccumulator, onednnKernel, onednnVerboseName } from '../../conformance/backends/torch/onednn_paths.js';
import { type OnednnGeometry } from '../../contract/conv_accumulators.js';
import { convOutputSize } from '../../contract/conv.js';
import { loadKernelRuns, onednnGeometry } from './novnni_fixture.js';

const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance', 'backends', 'torch', 'python');

describe('oneDNN kernel route on x86 without VNNI', () => {
  const runs = loadKernelRuns();

  it('predicts the kernel of every recorded run', () => {
    const wrong: string[] = [];
    const seen = new Map<string, number>();
    for (const r of runs) {
      const kernel = onednnKernel(r.isa, onednnGeometry(r.geometry));
      if (kernel === 'vnni') throw new Error('no VNNI kernel without VNNI');
      const name = onednnVerboseName(r.isa, kernel);
      if (name !== r.kernel) wrong.push(`${r.isa} ${JSON.stringify(r.geometry)}: predicted ${name}, ran ${r.kernel}`);
      seen.set(`${r.isa} ${kernel}`, (seen.get(`${r.isa} ${kernel}`) ?? 0) + r.runs);
    }
    expect(wrong).toEqual([]);
    expect(runs.reduce((s, r) => s + r.runs, 0)).toBe(848);
    // not vacuous: every kernel was seen on both ISAs, grouped convs on every path
    for (const isa of ['avx2', 'sse41']) for (const k of ['jit_uni_int8_1x1', 'jit_uni_int8', 'jit_uni_int8_dw', 'ref_int8']) expect(seen.get(`${isa} ${k}`), `${isa} ${k}`).toBeGreaterThan(10);
    const groupedJit = runs.filter((r) => r.geometry.g > 1 && r.kernel.startsWith('jit_uni_int8:') && r.geometry.c !== r.geometry.g);
    expect(groupedJit.length).toBeGreaterThan(10); // the old rule (sat16 only when groups == 1) missed these
    const byBlock = (b: number) => groupedJit.filter((r) => (r.geometry.c / r.geometry.g) % b === 0 && (r.geometry.oc / r.geometry.g) % b === 0).length;
    expect(byBlock(8)).toBeGreaterThan(0); // avx2's blocks of 8 ...
    expect(byBlock(4)).toBeGreaterThan(byBlock(8)); // ... and of 4
  });

  it('gives the accumulator of each kernel', () => {
    const g1x1: OnednnGeometry = { groups: 1, icg: 3, ocg: 2, kh: 1, kw: 1, h: 6, w: 2, oh: 3, ow: 1, stride: [2, 2], padding: [0, 0] };
    expect(onednnAccumulator('avx2', g1x1)).toBe('sat16_pairs_f32_zp'); // strided 1x1 that tiles the input: rtus + 1x1 kernel
    expect(onednnAccumulator('avx2', { ...g1x1, h: 8, w: 5, oh: 4, ow: 3 })).toBe('sat16_pairs'); // does not tile: general kernel
    expect(onednnAccumulator('sse41', { ...g1x1, groups: 2, icg: 4, ocg: 4 })).toBe('sat16_pairs');
    expect(onednnAccumulator('sse41', { ...g1x1, groups: 2, icg: 8, ocg: 2 })).toBe('int32_wrap');
    expect(onednnAccumulator('sse41', { ...g1x1, groups: 8, icg: 1, ocg: 1 })).toBe('int32_wrap');
    expect(onednnAccumulator('avx512_vnni', g1x1)).toBe('int32_wrap');
  });

  it('the Python adapter applies the same rule', () => {
    const r = new CaseRandom('onednn-paths-python-agreement');
    const geometries: OnednnGeometry[] = runs.map((k) => onednnGeometry(k.geometry));
    for (let i = 0; i < 2000; i++) {
      const d = drawGeometry(r);
      const oh = convOutputSize(d.h, d.kh, d.stride[0], d.padding[0], d.dilation[0]);
      const ow = convOutputSize(d.w, d.kw, d.stride[1], d.padding[1], d.dilation[1]);
      const icg = d.c / d.groups;
      // grouped geometries with per-group counts multiples of 4 and 8 are rare in the draw: scale some up
      const scale = r.pick([1, 1, 4, 8]);
      geometries.push({ groups: d.groups, icg: icg * scale, ocg: (d.oc / d.groups) * r.pick([1, scale]), kh: d.kh, kw: d.kw, h: d.h, w: d.w, oh, ow, stride: d.stride, padding: d.padding });
    }
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(PYTHON_DIR)})`,
      'from onednn_paths import ONEDNN_ISAS, onednn_kernel, onednn_accumulator',
      'gs = json.load(sys.stdin)',
      'print(json.dumps([[isa, onednn_kernel(isa, g), onednn_accumulator(isa, g)] for g in gs for isa in ONEDNN_ISAS]))',
    ].join('\n');
    const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(geometries), encoding: 'utf8', maxBuffer: 1 << 26 })) as [string, string, string][];
    const expected = geometries.flatMap((g) => ONEDNN_ISAS.map((isa) => [isa, onednnKernel(isa, g), onednnAccumulator(isa, g)]));
    expect(out.length).toBe(expected.length);
    const differ = expected.filter((e, i) => JSON.stringify(e) !== JSON.stringify(out[i]));
    expect(differ).toEqual([]);
    // not vacuous: every kernel and accumulator appears among the compared answers
    expect(new Set(out.map((o) => o[1]))).toEqual(new Set(['vnni', 'jit_uni_int8_1x1', 'jit_uni_int8', 'jit_uni_int8_dw', 'ref_int8']));
    expect(new Set(out.map((o) => o[2]))).toEqual(new Set(['int32_wrap', 'sat16_pairs', 'sat16_pairs_f32_zp']));
    const groupedJit = geometries.filter((g) => g.groups > 1 && onednnKernel('sse41', g) === 'jit_uni_int8');
    expect(groupedJit.length).toBeGreaterThan(20);
  });
});
