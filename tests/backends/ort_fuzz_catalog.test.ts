/**
 * The onnxruntime backend's --fuzz draws (conformance/backends/onnxruntime/ort_fuzz_catalog.ts) name the kernels ORT
 * runs on the CPU: on Haswell's flags every QAttention draw asks for the fma3 softmax kernel and, for int8 weights, the
 * saturating u8 x s8 pairs (the vector sets' rule); on the host's AVX-512 VNNI flags avx512f and int32_wrap; on a CPU
 * without FMA3 the drawn kernel stays; MatMulNBits draws name the CPU's QNBitGemm kernel set. Not vacuous: both weight dtypes are drawn, and the CPU flags are asked once.
 */
import { describe, expect, it } from 'vitest';
import { CPU_MODELS, HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { ortFuzzCatalog } from '../../conformance/backends/onnxruntime/ort_fuzz_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';

const haswell = CPU_MODELS.find((c) => c.name === 'haswell')!;

function draws(flags: string[], op = 'qattention@1', n = 40) {
  let asked = 0;
  const catalog = ortFuzzCatalog(haswell, () => (asked++, flags));
  const entry = catalog.find((e) => e.op === op)!;
  const requests = Array.from({ length: n }, (_, i) => entry.factory(new CaseRandom(`ort-fuzz/${i}`), i));
  return { requests, asked, catalog };
}
const weightDtype = (r: { inputs?: Record<string, unknown> }) => (r.inputs?.weight as { dtype: string }).dtype;

describe('onnxruntime --fuzz draws the kernels of the CPU', () => {
  it('keeps the catalogue', () => {
    expect(draws(['avx2', 'fma']).catalog.map((e) => e.op)).toEqual(ORT_FUZZ_CATALOG.map((e) => e.op));
  });

  it('Haswell: fma3, and sat16 pairs for int8 weights', () => {
    const { requests, asked } = draws(['avx2', 'fma', 'sse4_2']);
    expect(asked).toBe(1);
    expect(new Set(requests.map(weightDtype))).toEqual(new Set(['qint8', 'quint8']));
    for (const r of requests) {
      expect(r.attrs?.softmax_kernel).toBe('fma3');
      expect(r.attrs?.accumulator).toBe(weightDtype(r) === 'qint8' ? 'sat16_pairs_im2col' : 'int32_wrap');
    }
  });

  it('AVX-512 VNNI host: avx512f and int32_wrap; no FMA3: the drawn kernel', () => {
    for (const r of draws(['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'avx512_vnni']).requests) expect(r.attrs).toMatchObject({ softmax_kernel: 'avx512f', accumulator: 'int32_wrap' });
    const plain = ORT_FUZZ_CATALOG.find((e) => e.op === 'qattention@1')!.factory(new CaseRandom('ort-fuzz/0'), 0);
    expect(draws(['sse4_2'], 'qattention@1', 1).requests[0]!.attrs?.softmax_kernel).toBe(plain.attrs?.softmax_kernel);
    expect(HOST_CPU.name).toBe('host');
  });

  it('MatMulNBits: qnbit_kernel avx2 on Haswell, avx512 on the AVX-512 host', () => {
    const haswellDraws = draws(['avx2', 'fma', 'sse4_2'], 'matmul_nbits@1').requests;
    expect(haswellDraws.length).toBeGreaterThan(0);
    for (const r of haswellDraws) expect(r.attrs?.qnbit_kernel).toBe('avx2');
    for (const r of draws(['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl'], 'matmul_nbits@1').requests) expect(r.attrs?.qnbit_kernel).toBe('avx512');
  });
});
