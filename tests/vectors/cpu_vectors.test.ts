import { describe, expect, it } from 'vitest';
import { ORT_HASWELL_VECTORS_DIR, ORT_VECTORS_DIR, TORCH_ONEDNN_HASWELL_VECTORS_DIR, XNNPACK_ARM64_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';
import { onednnGemmPairsAreGlobal } from '../../contract/onednn_gemm.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { reference } from '../../reference/index.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { TORCH_ONEDNN_CPU_CATALOG } from '../../conformance/cases/torch_cpu_catalog.js';

/**
 * The vector sets the real backends wrote on emulated CPUs (qemu-user): ONNX Runtime and torch onednn on an AVX2
 * CPU without VNNI (-cpu Haswell), XNNPACK's NEON kernels on arm64 (qemu-aarch64). Every case bit for bit through
 * the reference and the impl; none of the emulators is needed to run this.
 */
const cases = (dir: string) => readVectorSet(dir).files.flatMap((f) => f.cases);
const attr = (dir: string, name: string) => cases(dir).map((c) => String(c.attrs[name]));
const count = (xs: readonly string[], x: string) => xs.filter((y) => y === x).length;

describe('vectors/xnnpack-2022-arm64 (XNNPACK arm64 NEON under qemu-aarch64)', () => {
  const { manifest, files } = readVectorSet(XNNPACK_ARM64_VECTORS_DIR);
  it('record the emulated CPU, use rndnu for qs8/qu8 and fp32 for qc8, and keep qint8 weights in [-127, 127]', () => {
    expect((manifest.provenance.cpu as { model: string }).model).toBe('arm64');
    expect(manifest.provenance.arch).toBe('arm64'); // the adapter's, not the x64 host's Node that ran it
    const all = files.flatMap((f) => f.cases);
    expect(all.length).toBeGreaterThanOrEqual(1000);
    const schemes = attr(XNNPACK_ARM64_VECTORS_DIR, 'scheme');
    expect(count(schemes, 'xnnpack-rndnu@1')).toBeGreaterThan(500);
    expect(count(schemes, 'xnnpack-fp32@1')).toBeGreaterThan(200);
    for (const c of all) {
      const perChannelQint8 = (c.inputs.x as { dtype: string }).dtype === 'qint8' && c.attrs.weight_quantization === 'per_channel';
      expect(c.attrs.scheme, c.id).toBe(perChannelQint8 ? 'xnnpack-fp32@1' : 'xnnpack-rndnu@1');
      expect((c.inputs.weight as { values: number[] }).values.includes(-128), c.id).toBe(false);
    }
  });
  itMatchesEveryCase('xnnpack-2022-arm64', files);
});

describe('vectors/torch-1.13-onednn-haswell (torch 1.13 onednn under qemu -cpu Haswell)', () => {
  const { manifest, files } = readVectorSet(TORCH_ONEDNN_HASWELL_VECTORS_DIR);
  it('record the CPUID torch saw (AVX2, no VNNI) and use both accumulators', () => {
    expect(manifest.provenance.cpu_flags).toContain('avx2');
    expect(manifest.provenance.cpu_flags).not.toContain('avx512_vnni');
    expect(manifest.provenance.cpu_flags_source).toBe('cpuid');
    const accumulators = attr(TORCH_ONEDNN_HASWELL_VECTORS_DIR, 'accumulator');
    expect(count(accumulators, 'sat16_pairs')).toBeGreaterThan(100);
    expect(count(accumulators, 'int32_wrap')).toBeGreaterThan(20);
  });
  it("state sat16_pairs on every linear, whose oneDNN gemm pairs saturate: many differ from int32_wrap, some have a K block at an odd k", () => {
    const linears = files.flatMap((f) => f.cases).filter((c) => c.op.startsWith('quantized_linear'));
    expect(linears.length).toBe(300);
    let differ = 0;
    let oddBlocks = 0;
    for (const c of linears) {
      expect(c.attrs.accumulator, c.id).toBe('sat16_pairs');
      if (!('outputs' in c.expect)) continue;
      const exact = evaluateRequest(reference, { id: c.id, op: c.op, attrs: { ...c.attrs, accumulator: 'int32_wrap' }, inputs: c.inputs });
      if (!('outputs' in exact) || JSON.stringify(exact.outputs) !== JSON.stringify(c.expect.outputs)) differ++;
      if (!onednnGemmPairsAreGlobal((c.inputs.x as { shape: number[] }).shape.at(-1) as number)) oddBlocks++;
    }
    expect(differ).toBeGreaterThan(80);
    expect(oddBlocks).toBeGreaterThan(10);
    // the requests are the per-CPU catalogue's, from the set's seed, with the AVX2 linear accumulator
    const regenerated = TORCH_ONEDNN_CPU_CATALOG.filter((e) => e.op !== 'quantized_conv2d@1').flatMap(({ op, count, factory }) => generateRequests(op, count, factory, manifest.seed));
    expect(linears.map((c) => ({ id: c.id, op: c.op, attrs: c.attrs, inputs: c.inputs }))).toEqual(regenerated.map((r) => ({ id: r.id, op: r.op, attrs: { ...r.attrs, accumulator: 'sat16_pairs' }, inputs: r.inputs })));
  });
  itMatchesEveryCase('torch-1.13-onednn-haswell', files);
});

describe('vectors/onnxruntime-1.30-haswell (ORT 1.30 under qemu -cpu Haswell)', () => {
  const { manifest, files } = readVectorSet(ORT_HASWELL_VECTORS_DIR);
  it('are the host set`s requests with each route`s accumulator, and differ from the host`s outputs', () => {
    expect((manifest.provenance.cpu as { model: string }).model).toBe('haswell');
    const host = cases(ORT_VECTORS_DIR);
    const emulated = files.flatMap((f) => f.cases);
    expect(emulated.length).toBe(host.length);
    let differ = 0;
    emulated.forEach((c, i) => {
      const h = host[i]!;
      expect({ ...c.attrs, accumulator: h.attrs.accumulator }).toEqual(h.attrs);
      expect(c.inputs).toEqual(h.inputs);
      if (JSON.stringify(c.expect) !== JSON.stringify(h.expect)) {
        differ++;
        expect(c.attrs.accumulator, c.id).toBe('sat16_pairs_im2col');
      }
    });
    expect(differ).toBeGreaterThan(200);
    expect(count(attr(ORT_HASWELL_VECTORS_DIR, 'accumulator'), 'sat16_pairs_im2col')).toBeGreaterThan(500);
  });
  describe('through the reference and the impl', () => {
    itMatchesEveryCase('onnxruntime-1.30-haswell', files);
  });
});
