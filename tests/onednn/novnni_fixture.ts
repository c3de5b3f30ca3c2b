/**
 * The recorded runs of torch 1.13.1's onednn quantized::conv2d on x86 without VNNI (tests/fixtures/onednn_novnni,
 * README.md there): the kernel each conv ran on, and real outputs, as wire requests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { convRequest } from '../../conformance/cases/conv_cases.js';
import type { DrawnGeometry } from '../../conformance/cases/conv_geometry.js';
import type { Accumulator } from '../../contract/conv.js';
import { convOutputSize } from '../../contract/conv.js';
import type { OnednnGeometry } from '../../contract/conv_accumulators.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'onednn_novnni');

/** The geometry columns of the fixtures, as the probe recorded them. */
export interface RecordedGeometry {
  n: number; c: number; h: number; w: number; oc: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; g: number;
}

export function onednnGeometry(r: RecordedGeometry): OnednnGeometry {
  return {
    groups: r.g, icg: r.c / r.g, ocg: r.oc / r.g, kh: r.kh, kw: r.kw, h: r.h, w: r.w,
    oh: convOutputSize(r.h, r.kh, r.sh, r.ph, r.dh), ow: convOutputSize(r.w, r.kw, r.sw, r.pw, r.dw),
    stride: [r.sh, r.sw], padding: [r.ph, r.pw],
  };
}

export interface KernelRun {
  readonly isa: 'avx2' | 'sse41';
  readonly geometry: RecordedGeometry;
  /** ONEDNN_VERBOSE's implementation name, e.g. jit_uni_int8_1x1:avx2 */
  readonly kernel: string;
  /** how many recorded runs had this isa, geometry and kernel */
  readonly runs: number;
}

export function loadKernelRuns(): KernelRun[] {
  const file = JSON.parse(readFileSync(join(DIR, 'kernels.json'), 'utf8')) as { columns: string[]; rows: unknown[][] };
  return file.rows.map((row) => {
    const rec = Object.fromEntries(file.columns.map((c, i) => [c, row[i]])) as Record<string, unknown>;
    const geometry = Object.fromEntries(['n', 'c', 'h', 'w', 'oc', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'dh', 'dw', 'g'].map((k) => [k, rec[k]])) as unknown as RecordedGeometry;
    return { isa: rec.isa as 'avx2' | 'sse41', geometry, kernel: rec.kernel as string, runs: rec.runs as number };
  });
}

export interface RecordedConv {
  readonly id: string;
  readonly kernels: { readonly avx2: string; readonly sse41: string };
  readonly geometry: RecordedGeometry;
  readonly x_scale: number;
  readonly x_zp: number;
  readonly w_quant: 'per_tensor' | 'per_channel';
  readonly w_scales: number[];
  readonly bias: number[] | null;
  readonly relu: boolean;
  readonly y_scale: number;
  readonly y_zp: number;
  /** hex bytes: x (quint8), w (qint8, two's complement), y (quint8, the real output) */
  readonly x: string;
  readonly w: string;
  readonly y: string;
}

export function loadRecordedConvs(): RecordedConv[] {
  return readFileSync(join(DIR, 'outputs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordedConv);
}

const bytes = (hex: string): number[] => Array.from(Buffer.from(hex, 'hex'));
export const recordedOutput = (c: RecordedConv): number[] => bytes(c.y);

/** The recorded conv as a torch-onednn@1 request with the given accumulator model. */
export function recordedRequest(c: RecordedConv, accumulator: Accumulator): WireRequest {
  const r = c.geometry;
  const g: DrawnGeometry = { n: r.n, c: r.c, h: r.h, w: r.w, oc: r.oc, kh: r.kh, kw: r.kw, stride: [r.sh, r.sw], padding: [r.ph, r.pw], dilation: [r.dh, r.dw], groups: r.g, kind: 'dense' };
  const v = {
    x: bytes(c.x), xScale: c.x_scale, xZeroPoint: c.x_zp, weight: bytes(c.w).map((b) => (b > 127 ? b - 256 : b)),
    weightScales: c.w_scales, weightZeroPoints: c.w_scales.map(() => 0), biasReal: c.bias, yScale: c.y_scale, yZeroPoint: c.y_zp, relu: c.relu,
  };
  return { id: c.id, ...convRequest(g, v, { scheme: 'torch-onednn@1', accumulator, dtype: 'quint8', biasDtype: 'float32', weightQuantization: c.w_quant }) };
}
