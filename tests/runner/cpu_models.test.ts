import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPU_MODELS, UnknownCpuModel, cpuModel, wrapCommand } from '../../conformance/backends/cpu/cpu_models.js';
import { CpuNotSupported, resolveBackend } from '../../conformance/backends/resolve_backend.js';
import { ortAccumulator, ortKernelLevel } from '../../conformance/backends/onnxruntime/ort_accumulator.js';
import { torchClaimedOps, torchConvAccumulator, torchLinearAccumulator } from '../../conformance/backends/torch/onednn_accumulator.js';
import { xnnpackScheme } from '../../conformance/backends/native/xnnpack_schemes.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';

const conv = (o: { dtype?: string; weight: number[]; groups?: number; wq?: string }): WireRequest => ({
  id: 'c',
  op: 'quantized_conv2d@1',
  attrs: { groups: o.groups ?? 1, weight_quantization: o.wq ?? 'per_tensor' },
  inputs: { x: { dtype: o.dtype ?? 'quint8', shape: [1, 1, 1, 1], values: [0] }, weight: { dtype: 'qint8', shape: o.weight, values: [] } },
});

describe('CPU models (--cpu)', () => {
  it("claim torch onednn's linears with VNNI and on AVX2 (sat16_pairs), not on SSE4.1 (its gemm is not measured); every other op everywhere", () => {
    const ops = ['quantized_conv2d@1', 'quantized_linear@1', 'quantized_linear_dynamic@1'];
    const haswell = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma'];
    expect(torchClaimedOps('onednn', haswell, ops)).toEqual(ops);
    expect(torchLinearAccumulator(haswell)).toBe('sat16_pairs');
    expect(torchLinearAccumulator([...haswell, 'avx512f', 'avx512_vnni'])).toBe('int32_wrap');
    expect(torchClaimedOps('onednn', ['sse4_1'], ops)).toEqual(['quantized_conv2d@1']);
    expect(torchClaimedOps('onednn', [...haswell, 'avx512f', 'avx512_vnni'], ops)).toEqual(ops);
    expect(torchClaimedOps('qnnpack', haswell, ops)).toEqual(ops);
  });

  it('know host, haswell, nehalem and arm64, and refuse other names with the list', () => {
    expect(CPU_MODELS.map((m) => m.name)).toEqual(['host', 'haswell', 'nehalem', 'arm64']);
    expect(cpuModel(undefined).qemu).toBeNull();
    expect(cpuModel('Haswell').qemu).toEqual({ binary: 'qemu-x86_64-static', cpu: 'Haswell' });
    expect(() => cpuModel('skylake')).toThrow(UnknownCpuModel);
    expect(() => cpuModel('skylake')).toThrow(/host, haswell, nehalem, arm64/);
  });

  it('wrap a command in QEMU user mode, and leave it alone on the host', () => {
    expect(wrapCommand(cpuModel('host'), 'node', ['a.mjs'])).toEqual({ command: 'node', args: ['a.mjs'] });
    expect(wrapCommand(cpuModel('nehalem'), 'node', ['a.mjs'])).toEqual({ command: 'qemu-x86_64-static', args: ['-cpu', 'Nehalem', 'node', 'a.mjs'] });
    expect(wrapCommand(cpuModel('arm64'), 'bin', [], ['-L', '/r'])).toEqual({ command: 'qemu-aarch64-static', args: ['-cpu', 'cortex-a72', '-L', '/r', 'bin'] });
  });

  it('are refused by backends that cannot run on them', () => {
    expect(() => resolveBackend('reference', cpuModel('haswell'))).toThrow(CpuNotSupported);
    expect(() => resolveBackend('onnxruntime', cpuModel('arm64'))).toThrow(/runs on: host, haswell, nehalem/);
    expect(() => resolveBackend('gemmlowp', cpuModel('nehalem'))).toThrow(CpuNotSupported);
    const sets = (backend: string, cpu: string) => resolveBackend(backend, cpuModel(cpu)).defaultVectors.map((d) => basename(d));
    expect(sets('onnxruntime', 'haswell')).toEqual(['onnxruntime-1.30-haswell', 'onnxruntime-1.30-qdq', 'onnxruntime-1.30-ops-haswell', 'onnx-testdata-1.12']);
    expect(sets('onnxruntime', 'nehalem')).toEqual(['onnxruntime-1.30', 'onnxruntime-1.30-qdq', 'onnxruntime-1.30-ops', 'onnx-testdata-1.12']);
    expect(sets('onnxruntime', 'host')).toEqual(sets('onnxruntime', 'nehalem'));
    expect(sets('xnnpack', 'arm64')).toEqual(['xnnpack-2022-arm64']);
    expect(sets('torch-onednn', 'haswell')).toEqual(['torch-1.13-onednn-haswell']);
    expect(sets('torch-onednn', 'host')).toEqual(['torch-1.13', 'torch-1.13-linear', 'torch-1.13-add', 'torch-1.13-pool', 'torch-1.13-cat', 'torch-1.13-avg-pool', 'torch-1.13-qnnpack-add', 'torch-1.13-qnnpack-avg-pool', 'torch-1.13-xnnpack-add', 'torch-1.13-hardswish', 'torch-1.13-hardsigmoid', 'torch-1.13-mul', 'torch-1.13-qnnpack-hardswish', 'torch-1.13-qnnpack-hardsigmoid', 'torch-1.13-mean', 'torch-1.13-qnnpack-mean']);
    expect(sets('torch-qnnpack', 'nehalem')).toEqual(['torch-1.13', 'torch-1.13-linear', 'torch-1.13-add', 'torch-1.13-pool', 'torch-1.13-cat', 'torch-1.13-avg-pool', 'torch-1.13-qnnpack-add', 'torch-1.13-qnnpack-avg-pool', 'torch-1.13-xnnpack-add', 'torch-1.13-hardswish', 'torch-1.13-hardsigmoid', 'torch-1.13-mul', 'torch-1.13-qnnpack-hardswish', 'torch-1.13-qnnpack-hardsigmoid', 'torch-1.13-mean', 'torch-1.13-qnnpack-mean']);
    expect(sets('reference', 'host')).toEqual(['torch-1.13']);
  });
});

describe('accumulators and schemes of the real routes per CPU', () => {
  it('ORT: saturating pairs only for uint8 activations, not depthwise, on AVX2 without VNNI', () => {
    expect(ortKernelLevel(['avx2', 'avx512_vnni'])).toBe('vnni');
    expect(ortKernelLevel(['avx2'])).toBe('avx2');
    expect(ortKernelLevel(['sse4_2'])).toBe('sse');
    expect(ortAccumulator('avx2', conv({ weight: [8, 4, 3, 3] }))).toBe('sat16_pairs_im2col');
    expect(ortAccumulator('avx2', conv({ weight: [8, 1, 3, 3], groups: 8 }))).toBe('int32_wrap');
    expect(ortAccumulator('avx2', conv({ weight: [8, 2, 3, 3], groups: 4 }))).toBe('sat16_pairs_im2col');
    expect(ortAccumulator('avx2', conv({ dtype: 'qint8', weight: [8, 4, 3, 3] }))).toBe('int32_wrap');
    expect(ortAccumulator('vnni', conv({ weight: [8, 4, 3, 3] }))).toBe('int32_wrap');
    expect(ortAccumulator('sse', conv({ weight: [8, 4, 3, 3] }))).toBe('int32_wrap');
  });

  it('torch onednn without VNNI: the 1x1 kernel adds the compensation in float32; sat16_pairs for other groups-1 convs and groups of 4k channels; exact for depthwise and the rest', () => {
    const noVnni = ['avx2'];
    expect(torchConvAccumulator('onednn', noVnni, conv({ weight: [3, 5, 1, 1] }))).toBe('sat16_pairs_f32_zp');
    expect(torchConvAccumulator('onednn', noVnni, conv({ weight: [3, 5, 3, 3] }))).toBe('sat16_pairs');
    expect(torchConvAccumulator('onednn', noVnni, conv({ weight: [8, 1, 3, 3], groups: 8 }))).toBe('int32_wrap');
    expect(torchConvAccumulator('onednn', noVnni, conv({ weight: [8, 4, 3, 3], groups: 2 }))).toBe('sat16_pairs');
    expect(torchConvAccumulator('onednn', noVnni, conv({ weight: [6, 3, 3, 3], groups: 2 }))).toBe('int32_wrap');
    expect(torchConvAccumulator('onednn', ['avx2', 'avx512_vnni'], conv({ weight: [3, 5, 1, 1] }))).toBe('int32_wrap');
    expect(torchConvAccumulator('qnnpack', noVnni, conv({ weight: [3, 5, 1, 1] }))).toBe('int32_wrap');
  });

  it('XNNPACK: fp32 on x86; rndnu for qs8 and qu8 and fp32 for qc8 on arm64', () => {
    expect(xnnpackScheme('x86_64', conv({ weight: [1, 1, 1, 1] }))).toBe('xnnpack-fp32@1');
    expect(xnnpackScheme('aarch64', conv({ weight: [1, 1, 1, 1] }))).toBe('xnnpack-rndnu@1');
    expect(xnnpackScheme('aarch64', conv({ dtype: 'qint8', weight: [1, 1, 1, 1] }))).toBe('xnnpack-rndnu@1');
    expect(xnnpackScheme('aarch64', conv({ dtype: 'qint8', weight: [1, 1, 1, 1], wq: 'per_channel' }))).toBe('xnnpack-fp32@1');
  });
});

describe('qconform run --cpu', () => {
  it('exits 2 with the known models for an unknown one, and with the supported CPUs for an in-process backend', async () => {
    const { runQconform } = await import('../support/cli_process.js');
    const unknown = await runQconform(['run', '--backend', 'impl', '--cpu', 'pentium']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown CPU model "pentium" (--cpu takes host, haswell, nehalem, arm64)');
    const inProcess = await runQconform(['run', '--backend', 'reference', '--cpu', 'haswell']);
    expect(inProcess.exitCode).toBe(2);
    expect(inProcess.stderr).toContain('backend reference does not run on --cpu haswell (it runs on: host)');
  });
});
