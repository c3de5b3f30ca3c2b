/**
 * The eval suite (issue 10): `qconform eval` under hostile requests. Each hostile request gets its typed error
 * (docs/protocol.md, "Limits") within a bound that only a hang or a runaway allocation breaks, the server then
 * answers a normal request exactly (so no assertion passes on a server that merely went quiet), memory stays
 * bounded, and the process exits 0 at EOF with nothing on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONV_MACS, MAX_HISTOGRAM_BATCH_BINS, MAX_HISTOGRAM_BINS, MAX_HISTOGRAM_UPSAMPLED_CELLS, MAX_REQUEST_LINE_BYTES, MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import { f32ToHex } from '../../contract/wire.js';
import { runQconform } from '../support/cli_process.js';
import { EvalSession } from '../support/eval_session.js';

/** Bound on one answer: the filed defects took 37 s and more, or never answered. */
const ANSWER_MS = 20_000;
/** Bound on the server's peak resident memory (the filed non-reading client reached 2 GB). */
const MAX_SERVER_RSS = 300 * 1024 * 1024;
const ONE_F64 = '3ff0000000000000';

/** quantize_per_tensor of [1.0, 2.5, -1.0], scale 1, zero point 0, qint8: round half to even gives [1, 2, -1]. */
const NORMAL = JSON.stringify({
  id: 'normal',
  op: 'quantize_per_tensor@1',
  attrs: { scale: ONE_F64, zero_point: 0, dtype: 'qint8' },
  inputs: { x: { dtype: 'float32', shape: [3], hex: ['3f800000', '40200000', 'bf800000'] } },
});
const NORMAL_RESPONSE = { id: 'normal', outputs: { q: { dtype: 'qint8', shape: [3], values: [1, 2, -1] } } };

const nested = (depth: number, leaf: string) => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
const u8 = (shape: number[], fill = 1) => ({ dtype: 'quint8', shape, values: new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(fill) });
const s8 = (shape: number[], fill = 1) => ({ dtype: 'qint8', shape, values: new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(fill) });

/** A quantized_conv2d@1 request with 1-valued quint8 x and qint8 weight of the given shapes. */
function conv(id: string, x: number[], weight: number[], geometry: { padding?: number[]; stride?: number[] } = {}): string {
  return JSON.stringify({
    id,
    op: 'quantized_conv2d@1',
    attrs: {
      x_scale: ONE_F64, x_zero_point: 0, y_scale: ONE_F64, y_zero_point: 0, weight_quantization: 'per_tensor',
      stride: geometry.stride ?? [1, 1], padding: geometry.padding ?? [0, 0], dilation: [1, 1], groups: 1, relu: false, scheme: 'exact@1', accumulator: 'int32_wrap',
    },
    inputs: {
      x: u8(x), weight: s8(weight),
      weight_scales: { dtype: 'float64', shape: [1], hex: [ONE_F64] }, weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
    },
  });
}

/** A histogram_observer@1 request of `batches` two-element batches, each range wider than the last (each batch merges). */
function histogram(id: string, bins: number, batches = 1, upsampleRate?: number): string {
  const batch = (i: number) => ({ dtype: 'float32', shape: [2], hex: [f32ToHex(-1 - i), f32ToHex(2 + i)] });
  return JSON.stringify({
    id,
    op: 'histogram_observer@1',
    attrs: { dtype: 'quint8', qscheme: 'per_tensor_affine', reduce_range: false, bins, ...(upsampleRate === undefined ? {} : { upsample_rate: upsampleRate }) },
    inputs: { batches: Array.from({ length: batches }, (_, i) => batch(i)) },
  });
}

function dequantize(id: string, q: object): string {
  return JSON.stringify({ id, op: 'dequantize_per_tensor@1', attrs: { scale: ONE_F64, zero_point: 0 }, inputs: { q } });
}

interface Hostile {
  readonly name: string;
  readonly line: string;
  readonly id: string | null;
  readonly code: string;
  readonly mentions: string;
}


const HOSTILE: readonly Hostile[] = [
  { name: 'a line that is not JSON', line: 'this is not JSON', id: null, code: 'malformed_request', mentions: 'not JSON' },
  { name: 'a byte-order mark before a request', line: `\uFEFF${JSON.stringify({ id: 'bom', op: 'quantize_per_tensor@1' })}`, id: null, code: 'malformed_request', mentions: 'not JSON (it starts with a byte-order mark, U+FEFF' },
  { name: 'JSON cut short', line: '{"id":"cut","op":"quantize_per_tensor@1","attrs":{', id: null, code: 'malformed_request', mentions: 'not JSON' },
  { name: 'a JSON array', line: '["normal"]', id: null, code: 'malformed_request', mentions: 'a request is a JSON object' },
  ...([5, 1.5, null, true, { a: 1 }, ['normal']] as const).map((id) => ({
    name: `the id ${JSON.stringify(id)}`, line: `{"id":${JSON.stringify(id)},"op":"quantize_per_tensor@1"}`, id: null, code: 'malformed_request', mentions: 'request.id',
  })),
  { name: 'no id', line: '{"op":"quantize_per_tensor@1"}', id: null, code: 'malformed_request', mentions: 'request.id' },
  { name: 'an id nested 20,000 deep (40 KB)', line: `{"id":${nested(20_000, '')},"op":"quantize_per_tensor@1"}`, id: null, code: 'malformed_request', mentions: 'nested too deeply' },
  {
    name: 'an attribute nested 20,000 deep',
    line: NORMAL.replace('"normal"', '"deep"').replace(`"scale":"${ONE_F64}"`, `"scale":${nested(20_000, '1')}`),
    id: 'deep', code: 'malformed_request', mentions: 'attrs.scale',
  },
  { name: 'attrs that are a string', line: '{"id":"a","op":"quantize_per_tensor@1","attrs":"scale"}', id: 'a', code: 'malformed_request', mentions: 'attrs' },
  { name: 'inputs that are a number', line: '{"id":"i","op":"quantize_per_tensor@1","inputs":5}', id: 'i', code: 'malformed_request', mentions: 'inputs' },
  { name: 'an unknown op', line: '{"id":"u","op":"no_such_op@1"}', id: 'u', code: 'unknown_op', mentions: 'no_such_op@1' },
  { name: 'a 700-byte conv with padding 8000 (a 256M-element padded input)', line: conv('pad', [1, 1, 1, 1], [1, 1, 1, 1], { padding: [8000, 8000] }), id: 'pad', code: 'too_large', mentions: 'MAX_TENSOR_ELEMENTS' },
  {
    name: `a conv with ${MAX_TENSOR_ELEMENTS + 1024} output elements`,
    line: conv('out', [1, 1, 32, 32], [MAX_TENSOR_ELEMENTS / 1024 + 1, 1, 1, 1]), id: 'out', code: 'too_large', mentions: 'output elements',
  },
  { name: 'a conv of 1.21G multiply-accumulates (every tensor within its limit)', line: conv('macs', [1, 1, 1040, 1040], [4, 1, 17, 17]), id: 'macs', code: 'too_large', mentions: `MAX_CONV_MACS = ${MAX_CONV_MACS}` },
  { name: 'a histogram of 1e9 bins', line: histogram('bins', 1e9), id: 'bins', code: 'too_large', mentions: 'MAX_HISTOGRAM_BINS' },
  { name: 'a histogram one bin over the limit', line: histogram('bins+1', MAX_HISTOGRAM_BINS + 1), id: 'bins+1', code: 'too_large', mentions: `MAX_HISTOGRAM_BINS = ${MAX_HISTOGRAM_BINS}` },
  { name: 'a histogram of 1,000 small batches at 16,384 bins (hours of merges)', line: histogram('batch-bins', 16_384, 1000, 5000), id: 'batch-bins', code: 'too_large', mentions: `MAX_HISTOGRAM_BATCH_BINS = ${MAX_HISTOGRAM_BATCH_BINS}` },
  { name: 'a histogram of 5 batches at 16,384 bins and upsample_rate 60,000', line: histogram('cells', 16_384, 5, 60_000), id: 'cells', code: 'too_large', mentions: `MAX_HISTOGRAM_UPSAMPLED_CELLS = ${MAX_HISTOGRAM_UPSAMPLED_CELLS}` },
  { name: 'a tensor claiming 1e10 elements', line: dequantize('claim', { dtype: 'qint8', shape: [100_000, 100_000], values: [0] }), id: 'claim', code: 'malformed_request', mentions: 'expected 10000000000 elements' },
  { name: 'a tensor one element over the limit', line: dequantize('big', s8([MAX_TENSOR_ELEMENTS + 1], 0)), id: 'big', code: 'too_large', mentions: 'MAX_TENSOR_ELEMENTS' },
];

describe.each(['reference', 'impl'] as const)('qconform eval --backend %s under hostile requests', (backend) => {
  let session: EvalSession;
  beforeAll(async () => {
    session = EvalSession.start(backend);
    const handshake = await session.next(60_000);
    expect(handshake).toMatchObject({ protocol: 'qconform-eval/1', ops: expect.arrayContaining(['quantized_conv2d@1', 'requantize@1', 'histogram_observer@2']) });
  });
  afterAll(() => session.kill());

  it.each(HOSTILE)('answers $name with $code, then a normal request', async (h) => {
    const started = Date.now();
    await session.write(`${h.line}\n${NORMAL}\n`);
    expect(await session.next(ANSWER_MS)).toEqual({ id: h.id, error: { code: h.code, message: expect.stringContaining(h.mentions) } });
    expect(Date.now() - started).toBeLessThan(ANSWER_MS);
    expect(await session.next(ANSWER_MS)).toEqual(NORMAL_RESPONSE);
  });

  it('kept its memory bounded and exits 0 at EOF with nothing on stderr', async () => {
    expect(session.peakRssBytes()).toBeLessThan(MAX_SERVER_RSS);
    expect(await session.end(ANSWER_MS)).toBe(0);
    expect(session.stderr).toBe('');
  });
});

describe('qconform eval: stream-level faults', () => {
  it(`answers a 200 MB line too_large once it passes ${MAX_REQUEST_LINE_BYTES} bytes, without buffering it, and keeps serving`, async () => {
    const session = EvalSession.start('reference');
    try {
      await session.next(60_000);
      const mb = Buffer.alloc(1 << 20, 'a');
      await session.write('{"id":"long","pad":"');
      for (let i = 0; i < 20; i++) await session.write(mb);
      // answered before the line ends: the server does not wait for (or keep) the rest
      expect(await session.next(ANSWER_MS)).toEqual({ id: null, error: { code: 'too_large', message: expect.stringContaining(`MAX_REQUEST_LINE_BYTES = ${MAX_REQUEST_LINE_BYTES}`) } });
      for (let i = 0; i < 180; i++) await session.write(mb);
      await session.write(`"}\n${NORMAL}\n`);
      expect(await session.next(ANSWER_MS)).toEqual(NORMAL_RESPONSE);
      expect(session.peakRssBytes()).toBeLessThan(MAX_SERVER_RSS);
      expect(await session.end(ANSWER_MS)).toBe(0);
      expect(session.stderr).toBe('');
    } finally {
      session.kill();
    }
  });

  it('stops reading while the client does not read its responses, then answers every request', async () => {
    const session = EvalSession.start('reference');
    try {
      expect(await session.next(60_000)).toMatchObject({ protocol: 'qconform-eval/1' });
      session.pauseReading();
      // each request is 200 KB; each response 1.1 MB of float32 hex: 500 of them would be 550 MB unread (a server
      // without backpressure passes 300 MB after some 50)
      const request = (i: number) => dequantize(`r-${i}`, s8([100_000], i % 2));
      let sent = 0;
      while (sent < 500 && (await session.write(`${request(sent)}\n`, 5_000))) sent++;
      expect(sent, 'the server never stopped reading').toBeLessThan(500);
      expect(session.peakRssBytes()).toBeLessThan(MAX_SERVER_RSS);
      // the request that did not drain is written too: sent + 1 requests in all
      for (let i = 0; i <= sent; i++) {
        const response = await session.next(ANSWER_MS);
        expect(response.id).toBe(`r-${i}`);
        const x = (response.outputs as { x: { shape: number[]; hex: string[] } }).x;
        expect(x.shape).toEqual([100_000]);
        expect(x.hex[99_999]).toBe(i % 2 ? '3f800000' : '00000000');
      }
      expect(await session.end(ANSWER_MS)).toBe(0);
      expect(session.stderr).toBe('');
    } finally {
      session.kill();
    }
  });

  it('answers a request cut off by EOF malformed_request, a last request without newline normally, and exits 0', async () => {
    const cut = await runQconform(['eval'], {}, 60_000, `${NORMAL}\n{"id":"cut","op":"quantize_per`);
    expect(cut.exitCode, cut.stderr).toBe(0);
    expect(cut.stdout.split('\n').filter((l) => l !== '').slice(1).map((l) => JSON.parse(l) as unknown)).toEqual([
      NORMAL_RESPONSE,
      { id: null, error: { code: 'malformed_request', message: expect.stringContaining('not JSON') } },
    ]);
    const unterminated = await runQconform(['eval'], {}, 60_000, `\r\n\n${NORMAL}\r\n${NORMAL}`);
    expect(unterminated.exitCode, unterminated.stderr).toBe(0);
    expect(unterminated.stdout.split('\n').filter((l) => l !== '').slice(1).map((l) => JSON.parse(l) as unknown)).toEqual([NORMAL_RESPONSE, NORMAL_RESPONSE]);
  });
});
