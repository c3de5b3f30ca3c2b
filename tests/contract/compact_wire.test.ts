/**
 * The compact tensor encoding `base64le` (contract/wire.ts; docs/protocol.md, "Compact tensors"): offered in
 * qconform eval's handshake, asked for per request with `"encoding"`; every dtype round-trips bit for bit
 * (NaN payloads, -0, int64 values); a request in either encoding gets the same answer, its outputs in the
 * encoding asked for; malformed base64, a wrong byte length, a conflicting tensor and an unknown encoding are
 * answered malformed_request naming the field. A handshake's `encodings` is parsed and checked.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { BadHandshake, parseHandshake } from '../../conformance/protocol/handshake.js';
import { f32Tensor, f64Tensor, intTensor, type Tensor } from '../../contract/tensor.js';
import { WIRE_ENCODINGS, decodeTensor, encodeTensor } from '../../contract/wire.js';
import { float32FromBits } from '../../contract/float_bits.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { runEvalProcess } from '../support/eval_process.js';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { COMMITTED_VECTOR_DIRS } from '../../conformance/vectors/vector_types.js';
import type { WireOutputs } from '../../conformance/protocol/messages.js';

const ONE_F64 = '3ff0000000000000';
const bitsOf = (t: Tensor) => (t.dtype === 'float32' ? Array.from(new Uint32Array(Float32Array.from(t.data).buffer)) : t.dtype === 'float64' ? Array.from(new BigUint64Array(Float64Array.from(t.data).buffer)).map(String) : Array.from(t.data));

const SAMPLES: readonly Tensor[] = [
  f32Tensor([2, 3], [1, -0, 2.5, Infinity, float32FromBits(0x7fc00001), float32FromBits(0xffc00000)]),
  f32Tensor([0], []),
  f64Tensor([3], [0.1, -0, 1e300]),
  intTensor('quint8', [4], [0, 1, 128, 255]),
  intTensor('quint4x2', [3], [0, 7, 15]),
  intTensor('qint8', [4], [-128, -1, 0, 127]),
  intTensor('qint32', [3], [-(2 ** 31), 0, 2 ** 31 - 1]),
  intTensor('int32', [2], [-5, 70000]),
  intTensor('int64', [3], [-(2 ** 31), 3, 2 ** 31 - 1]),
  // the ONNX integer dtypes (contract/onnx_dtypes.ts)
  intTensor('int8', [3], [-128, -1, 127]),
  intTensor('uint8', [3], [0, 128, 255]),
  intTensor('int16', [4], [-32768, -1, 0, 32767]),
  intTensor('uint16', [3], [0, 32768, 65535]),
  intTensor('int4', [3], [-8, -1, 7]),
  intTensor('uint4', [2], [0, 15]),
];

/** quantize_per_tensor of [1.0, 2.5, -1.0] (scale 1.0, zero point 0, qint8), x in the given encoding. */
function quantizeRequest(id: string, x: unknown, encoding?: string) {
  return { id, op: 'quantize_per_tensor@1', ...(encoding ? { encoding } : {}), attrs: { scale: ONE_F64, zero_point: 0, dtype: 'qint8' }, inputs: { x } };
}
const X = f32Tensor([3], [1, 2.5, -1]);

describe('base64le tensors', () => {
  it('round-trip every dtype bit for bit, in the documented byte layout', () => {
    for (const t of SAMPLES) {
      const wire = encodeTensor(t, 'base64le');
      expect(Object.keys(wire).sort()).toEqual(['b64', 'dtype', 'shape']);
      const back = decodeTensor(JSON.parse(JSON.stringify(wire)), 'x');
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(bitsOf(back)).toEqual(bitsOf(t));
    }
    // 1.0f is 00 00 80 3f little-endian; qint8 -1 is one byte ff; int64 3 is 03 and seven zero bytes
    expect(encodeTensor(f32Tensor([1], [1]), 'base64le')).toEqual({ dtype: 'float32', shape: [1], b64: Buffer.from([0, 0, 0x80, 0x3f]).toString('base64') });
    expect(encodeTensor(intTensor('qint8', [1], [-1]), 'base64le')).toEqual({ dtype: 'qint8', shape: [1], b64: '/w==' });
    expect(encodeTensor(intTensor('int64', [1], [3]), 'base64le')).toEqual({ dtype: 'int64', shape: [1], b64: Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]).toString('base64') });
  });

  it('give the same answer as JSON tensors, outputs in the encoding the request asks for', () => {
    for (const ops of [reference, impl]) {
      const json = evaluateRequest(ops, quantizeRequest('j', encodeTensor(X)));
      const compactIn = evaluateRequest(ops, quantizeRequest('c', encodeTensor(X, 'base64le')));
      const compactOut = evaluateRequest(ops, quantizeRequest('o', encodeTensor(X), 'base64le'));
      const explicitJson = evaluateRequest(ops, quantizeRequest('e', encodeTensor(X, 'base64le'), 'json'));
      expect(json).toEqual({ id: 'j', outputs: { q: { dtype: 'qint8', shape: [3], values: [1, 2, -1] } } });
      expect(compactIn).toEqual({ ...json, id: 'c' });
      expect(explicitJson).toEqual({ ...json, id: 'e' });
      expect(compactOut).toEqual({ id: 'o', outputs: { q: { dtype: 'qint8', shape: [3], b64: Buffer.from([1, 2, 0xff]).toString('base64') } } });
    }
  });

  it('answer every op family of the committed sets (conv, linear, ONNX QDQ and integer ops, torch 2.x) alike in both', () => {
    const decoded = (outputs: WireOutputs) => Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, typeof v === 'number' ? v : bitsOf(decodeTensor(v, k))]));
    const ops = new Set<string>();
    let tensors = 0;
    for (const dir of COMMITTED_VECTOR_DIRS) {
      const seen = new Map<string, number>();
      for (const { case: c } of selectCases(dir).cases) {
        const n = seen.get(c.op) ?? 0;
        if (n >= 3) continue; // the first three cases of each op of each set
        seen.set(c.op, n + 1);
        const json = evaluateRequest(impl, { id: c.id, op: c.op, attrs: c.attrs, inputs: c.inputs });
        const compact = evaluateRequest(impl, { id: c.id, op: c.op, encoding: 'base64le', attrs: c.attrs, inputs: c.inputs });
        if (!('outputs' in json)) {
          expect(compact, `${c.id} (${c.op})`).toEqual(json);
          continue;
        }
        expect('outputs' in compact, `${c.id} (${c.op})`).toBe(true);
        if (!('outputs' in compact)) continue;
        for (const v of Object.values(compact.outputs)) if (typeof v !== 'number') expect(Object.keys(v).sort(), `${c.id} (${c.op})`).toEqual(['b64', 'dtype', 'shape']);
        expect(decoded(compact.outputs), `${c.id} (${c.op})`).toEqual(decoded(json.outputs));
        ops.add(c.op);
        tensors += Object.values(json.outputs).filter((v) => typeof v !== 'number').length;
      }
    }
    // not vacuous: the families this encoding had to learn after it was written are among them
    for (const op of ['quantized_linear@1', 'quantize_linear@1', 'dynamic_quantize_linear@1', 'matmul_integer@1', 'qlinear_add@1', 'histogram_observer@2', 'decomposed_choose_qparams@1']) expect(ops).toContain(op);
    expect(tensors).toBeGreaterThan(100);
  });

  const good = encodeTensor(X, 'base64le') as { dtype: string; shape: number[]; b64: string };
  const BAD: ReadonlyArray<readonly [name: string, request: unknown, mentions: string]> = [
    ['a character outside the alphabet', quantizeRequest('a', { ...good, b64: `*${good.b64.slice(1)}` }), 'inputs.x.b64'],
    ['the URL-safe alphabet', quantizeRequest('u', { ...good, b64: `-${good.b64.slice(1)}` }), 'standard base64'],
    ['whitespace inside', quantizeRequest('w', { ...good, b64: `${good.b64.slice(0, 4)} ${good.b64.slice(5)}` }), 'standard base64'],
    ['padding in the middle', quantizeRequest('p', { ...good, b64: `AA==${good.b64.slice(4)}` }), 'standard base64'],
    ['missing padding (1.0f is AACAPw==)', quantizeRequest('m', { dtype: 'float32', shape: [1], b64: 'AACAPw' }), 'take 8 base64 characters, got 6'],
    ['unpadded bytes past the shape (AAAAAAAA holds 6 bytes, shape [1] takes 4)', quantizeRequest('q', { dtype: 'float32', shape: [1], b64: 'AAAAAAAA' }), 'standard base64'],
    ['a character outside the alphabet where the padding goes (AACAPwAAgD8= is 1.0f twice)', quantizeRequest('d', { dtype: 'float32', shape: [2], b64: 'AACAPwAAgD8.' }), "8 bytes end with 1 '=', got \".\""],
    ['a non-ASCII character where the padding goes', quantizeRequest('e', { dtype: 'float32', shape: [2], b64: 'AACAPwAAgD8\u00e9' }), "8 bytes end with 1 '='"],
    ['a tab inside, the padding right', quantizeRequest('t', { dtype: 'float32', shape: [2], b64: 'AACAPw\tAgD8=' }), 'character 6 is "\\t"'],
    ['a NUL inside, the length right', quantizeRequest('z', { ...good, b64: `${good.b64.slice(0, 5)}\u0000${good.b64.slice(6)}` }), 'character 5 is "\\u0000"'],
    ['11 bytes where 12 are needed (AAAAAAAAAAAAAAA= is 11 zero bytes)', quantizeRequest('b', { ...good, b64: 'AAAAAAAAAAAAAAA=' }), "the '=' at character 15 ends it early: expected 12 bytes (3 elements of 4 bytes for float32), the string holds 11"],
    ['one element too few (8 bytes for shape [3])', quantizeRequest('s', { ...good, b64: Buffer.alloc(8).toString('base64') }), 'expected 12 bytes'],
    ['one element too many', quantizeRequest('l', { ...good, b64: Buffer.alloc(16).toString('base64') }), 'expected 12 bytes'],
    ['a number instead of a string', quantizeRequest('n', { ...good, b64: 12 }), 'inputs.x.b64'],
    ['both hex and b64', quantizeRequest('h', { ...good, hex: ['3f800000', '40200000', 'bf800000'] }), 'exactly one of hex, values and b64'],
    ['an unknown dtype', quantizeRequest('d', { ...good, dtype: 'bfloat16' }), 'inputs.x.dtype'],
    ['a json float tensor with both hex and values', quantizeRequest('v', { ...encodeTensor(X), values: [1, 2, 3] }), 'a float tensor carries its elements in hex only'],
    ['a json integer tensor with both values and hex', { id: 'j', op: 'dequantize_per_tensor@1', attrs: { scale: ONE_F64, zero_point: 0 }, inputs: { q: { dtype: 'quint8', shape: [1], values: [3], hex: ['03'] } } }, 'an integer tensor carries its elements in values only'],
    ['an int64 outside int32', { id: 'i', op: 'dequantize_per_tensor@1', attrs: { scale: ONE_F64, zero_point: 0 }, inputs: { q: { dtype: 'int64', shape: [1], b64: Buffer.from([0, 0, 0, 0x80, 0, 0, 0, 0]).toString('base64') } } }, 'fit int32'],
    ['an unknown encoding', quantizeRequest('e', encodeTensor(X), 'base64'), 'request.encoding'],
  ];
  for (const [name, request, mention] of BAD) {
    it(`answers ${name} with malformed_request`, () => {
      for (const ops of [reference, impl]) {
        const r = evaluateRequest(ops, request);
        expect(r).toEqual({ id: (request as { id: string }).id, error: { code: 'malformed_request', message: expect.stringContaining(mention) } });
      }
    });
  }
});

describe('encodings in the handshake', () => {
  const base = { protocol: 'qconform-eval/1', backend: 'b', version: '1', ops: ['quantize_per_tensor@1'] };
  it('are optional (json only), kept when given, and must be an array of strings', () => {
    expect(parseHandshake(JSON.stringify(base)).encodings).toBeUndefined();
    expect(parseHandshake(JSON.stringify({ ...base, encodings: ['json', 'base64le', 'future'] })).encodings).toEqual(['json', 'base64le', 'future']);
    expect(() => parseHandshake(JSON.stringify({ ...base, encodings: 'base64le' }))).toThrow(BadHandshake);
    expect(() => parseHandshake(JSON.stringify({ ...base, encodings: [1] }))).toThrow('encodings must be an array of strings');
  });

  it('qconform eval offers base64le and answers a client that negotiates it', async () => {
    const requests = [JSON.stringify(quantizeRequest('c', encodeTensor(X, 'base64le'), 'base64le')), JSON.stringify(quantizeRequest('j', encodeTensor(X)))];
    const run = await runEvalProcess('impl', requests);
    expect(run.exitCode, run.stderr).toBe(0);
    const [handshake, compact, json] = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parseHandshake(JSON.stringify(handshake)).encodings).toEqual([...WIRE_ENCODINGS]);
    expect(compact).toEqual({ id: 'c', outputs: { q: { dtype: 'qint8', shape: [3], b64: Buffer.from([1, 2, 0xff]).toString('base64') } } });
    expect(json).toEqual({ id: 'j', outputs: { q: { dtype: 'qint8', shape: [3], values: [1, 2, -1] } } });
  });
});
