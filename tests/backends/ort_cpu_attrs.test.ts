/**
 * The CPU-dependent attributes of an ONNX Runtime request (conformance/backends/onnxruntime/ort_cpu_attrs.ts), the one
 * rule of the ORT integer-op vector writer and of the onnxruntime --fuzz draws. The rule goes by op; the catalogues draw
 * `accumulator` and `softmax_kernel` on exactly those ops (so the fuzz draws' old test, "the draw names one", and the
 * writer's old op sets pick the same requests: checked on every request of the vector set's generator and on draws of
 * every fuzz op). Not vacuous: each table op is drawn, and both `unmodelled` answers are exercised on a CPU without FMA3.
 */
import { describe, expect, it } from 'vitest';
import { ORT_ACCUMULATOR_OPS, ORT_QNBIT_KERNEL_OPS, ORT_SOFTMAX_KERNEL_OPS, ortCpuAttrs } from '../../conformance/backends/onnxruntime/ort_cpu_attrs.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';
import { ORT_OPS_CATALOG, ORT_OPS_DEFAULT_SEED } from '../../conformance/cases/ort_ops_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { QconformError } from '../../contract/errors.js';

const HASWELL = ['sse4_2', 'avx2', 'fma'];
const HOST = [...HASWELL, 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'avx512_vnni'];
const NEHALEM = ['sse4_2'];

type Drawn = { op: string; attrs?: Record<string, unknown> };
const vectorSetRequests: Drawn[] = ORT_OPS_CATALOG.flatMap(({ op, count, factory }) => generateRequests(op, count, factory, ORT_OPS_DEFAULT_SEED));
const fuzzDraws: Drawn[] = ORT_FUZZ_CATALOG.flatMap(({ op, factory }) => Array.from({ length: 8 }, (_, i) => factory(new CaseRandom(`ort-cpu-attrs/${op}/${i}`), i)));

describe('ortCpuAttrs: which requests get which attribute', () => {
  it.each([
    ['the ORT integer-op vector set', vectorSetRequests],
    ['the onnxruntime fuzz catalogue', fuzzDraws],
  ])('%s draws accumulator and softmax_kernel on exactly the table ops, qnbit_kernel never', (_, requests) => {
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(typeof r.attrs?.accumulator === 'string', r.op).toBe(ORT_ACCUMULATOR_OPS.has(r.op));
      expect(typeof r.attrs?.softmax_kernel === 'string', r.op).toBe(ORT_SOFTMAX_KERNEL_OPS.has(r.op));
      expect(r.attrs?.qnbit_kernel, r.op).toBeUndefined();
    }
  });

  it('every table op is drawn by a catalogue', () => {
    const drawn = new Set([...vectorSetRequests, ...fuzzDraws].map((r) => r.op));
    for (const op of [...ORT_ACCUMULATOR_OPS, ...ORT_SOFTMAX_KERNEL_OPS, ...ORT_QNBIT_KERNEL_OPS]) expect(drawn.has(op), op).toBe(true);
  });

  it('an op with none comes back as it was', () => {
    const r = fuzzDraws.find((d) => d.op === 'qlinear_add@1')!;
    expect(ortCpuAttrs(r, HASWELL, { unmodelled: 'throw' })).toBe(r);
  });
});

describe('ortCpuAttrs: the CPU', () => {
  const qattention = fuzzDraws.filter((r) => r.op === 'qattention@1');
  const nbits = fuzzDraws.find((r) => r.op === 'matmul_nbits@1')!;

  it('Haswell: fma3, avx2 and the u8 x s8 pairs; the host: avx512f, avx512 and int32_wrap', () => {
    const dtypes = new Set<string>();
    for (const r of qattention) {
      const weight = (r as { inputs?: { weight?: { dtype: string } } }).inputs!.weight!.dtype;
      dtypes.add(weight);
      expect(ortCpuAttrs(r, HASWELL, { unmodelled: 'throw' }).attrs).toMatchObject({ softmax_kernel: 'fma3', accumulator: weight === 'qint8' ? 'sat16_pairs_im2col' : 'int32_wrap' });
      expect(ortCpuAttrs(r, HOST, { unmodelled: 'throw' }).attrs).toMatchObject({ softmax_kernel: 'avx512f', accumulator: 'int32_wrap' });
    }
    expect(dtypes).toEqual(new Set(['qint8', 'quint8']));
    expect(ortCpuAttrs(nbits, HASWELL, { unmodelled: 'throw' }).attrs?.qnbit_kernel).toBe('avx2');
    expect(ortCpuAttrs(nbits, HOST, { unmodelled: 'throw' }).attrs?.qnbit_kernel).toBe('avx512');
  });

  it("no FMA3: 'throw' refuses, 'keep' keeps the drawn kernel (or none); the accumulator is set either way", () => {
    const r = qattention[0]!;
    expect(() => ortCpuAttrs(r, NEHALEM, { unmodelled: 'throw' })).toThrow(QconformError);
    expect(() => ortCpuAttrs(nbits, NEHALEM, { unmodelled: 'throw' })).toThrow(/QNBitGemm/);
    const kept = ortCpuAttrs({ ...r, attrs: { ...r.attrs, accumulator: 'sat16_pairs_im2col' } }, NEHALEM, { unmodelled: 'keep' });
    expect(kept.attrs).toMatchObject({ softmax_kernel: r.attrs?.softmax_kernel, accumulator: 'int32_wrap' });
    expect(ortCpuAttrs(nbits, NEHALEM, { unmodelled: 'keep' })).toEqual(nbits);
  });
});
