/**
 * Inputs `qconform explain` cannot run are refused with one typed message and exit 2 (never a stack trace, never
 * silently replaced): a generated input beyond MAX_TENSOR_ELEMENTS (the model's declared shape or --shape); JSON
 * that is null, nested 200,000 deep or ragged; a .npy whose header length is absurd or whose file ends inside it, or
 * whose header's shape has a dim numpy reads as none (negative, a float, empty, above 2^53: before, a negative one was
 * read and refused by the first op, "quantize_linear: x.shape ... shape_mismatch", naming neither the file nor its header);
 * an input (a file or --shape) whose shape does not fit the first layer, which ran on generated data instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { parseJsonTensor, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { explainError as explainErrorOf, explainFiles } from '../support/explain_files.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';

let err: string[];

beforeEach(() => {
  err = [];
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation((s: unknown) => void err.push(String(s)));
});
afterEach(() => vi.restoreAllMocks());

const { file } = explainFiles('qconform-input-');
const explainError = (model: string, extra: { input?: string; shape?: string }) => explainErrorOf(err, model, extra);

describe('qconform explain: input sizes', () => {
  it('a declared input shape of 3e10 elements is refused, naming the limit', () => {
    const parts = qdqParts();
    parts.inputDims = [1, 3, 100000, 100000];
    const model = file('huge_dims.onnx', qdqModel(parts));
    expect(explainError(model, {})).toBe(
      'error: generated input: shape [1, 3, 100000, 100000] has 30000000000 elements; explain runs inputs of at most 4194304 (MAX_TENSOR_ELEMENTS, contract/limits.ts): pass a smaller --shape N,C,H,W, or --input FILE',
    );
  });

  it('--shape 4096,4096,4096,4096 (each dimension within its bound) is refused by its total', () => {
    expect(explainError(file('base.onnx', qdqModel()), { shape: '4096,4096,4096,4096' })).toMatch(/^error: generated input: shape \[4096, 4096, 4096, 4096\] has 281474976710656 elements; explain runs inputs of at most 4194304/);
  });

  it('an input file beyond the limit is refused after reading', () => {
    const big = file('big.json', JSON.stringify({ shape: [1, 1, 2049, 2049], data: new Array(2049 * 2049).fill(0) }));
    expect(explainError(file('base.onnx', qdqModel()), { input: big })).toMatch(/big\.json: shape \[1, 1, 2049, 2049\] has 4198401 elements; explain runs inputs of at most 4194304/);
  });
});

describe('qconform explain: JSON inputs', () => {
  const model = file('base.onnx', qdqModel());

  it.each([
    ['null', 'null', 'x.json: a JSON tensor is {"shape": [positive ints], "data": [numbers]} or a nested array of numbers, not null'],
    ['a number', '5', 'x.json: a JSON tensor is {"shape": [positive ints], "data": [numbers]} or a nested array of numbers, not number'],
    ['200,000 nested arrays', `${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'x.json: a nested JSON tensor of more than 8 dimensions is not read'],
    ['a ragged nested array', '[[1, 2], [3, [4]]]', "x.json: the JSON tensor's data must be 4 numbers for shape [2, 2] (a regular nested array)"],
    ['an empty array', '[]', 'x.json: a JSON tensor is {"shape": [positive ints], "data": [numbers]} or a nested array of numbers'],
  ])('%s is refused', (_, text, message) => {
    const path = file('x.json', text);
    expect(explainError(model, { input: path })).toBe(`error: ${path.slice(0, -'x.json'.length)}${message}`);
  });

  it('regular nested arrays and flat data with a shape are read, in C order', () => {
    expect(Array.from(parseJsonTensor('a.json', '[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]').data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseJsonTensor('a.json', '[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]').shape).toEqual([1, 2, 2, 2]);
    expect(parseJsonTensor('a.json', '{"shape": [1, 3], "data": [1, 2, 3]}').shape).toEqual([1, 3]);
  });
});

describe('qconform explain: .npy inputs', () => {
  const model = file('base.onnx', qdqModel());
  /** A .npy of format `major` whose header length field is `headerLen`, followed by `rest` bytes of 'x'. */
  const npy = (major: number, headerLen: number, rest: number) => {
    const head = new Uint8Array(major === 1 ? 10 : 12);
    head.set([0x93, ...new TextEncoder().encode('NUMPY'), major, 0]);
    new DataView(head.buffer).setUint32(8, headerLen, true);
    return new Uint8Array([...head.subarray(0, major === 1 ? 10 : 12), ...new Uint8Array(rest).fill(0x78)]);
  };

  it.each([
    ['a v2 header length of 0xffffffff', npy(2, 0xffffffff, 300_000), 'x.npy: .npy header length 4294967295 is over 10000 bytes (numpy\'s own max_header_size)'],
    ['a header running past the end', npy(2, 5000, 100), 'x.npy: .npy header length 5000 runs past the end of the file (112 bytes)'],
    ['a v2 file ending inside its header length', npy(2, 0, 0).subarray(0, 11), 'x.npy: .npy file of 11 bytes ends inside its header length'],
    ['format version 9', npy(9, 10, 10), 'x.npy: .npy format version 9 is not supported (1 to 3)'],
  ])('%s is refused', (_, bytes, message) => {
    const path = file('x.npy', bytes);
    expect(explainError(model, { input: path })).toBe(`error: ${path.slice(0, -'x.npy'.length)}${message}`);
  });
});

/** Whether numpy is importable from /usr/bin/python3 (Debian's python3-torch brings it). */
const NUMPY = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { timeout: 60_000 }).status === 0;

describe('qconform explain: a .npy whose header states no shape numpy reads', () => {
  const model = file('base.onnx', qdqModel());
  const header = (shape: string) => `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape}), }`;
  // each file holds 192 float32 values, the data bytes of [1, 3, 8, 8] (and of (-1, -3, 8, 8), whose product is 192)
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['-1, -3, 8, 8', '-1'],
    ['1, 3, -8, -8', '-8'],
    ['1.0, 3, 8, 8', '1.0'],
    ['1, , 3, 8, 8', '(empty)'],
    ['1, 3, 8, 8, 1e0', '1e0'],
  ];
  it.each(cases)('shape (%s): refused naming the file, its header and the dim', (shape, dim) => {
    const path = file('x.npy', npyFloat32(shape, 0.5, 192));
    expect(explainError(model, { input: path })).toBe(`error: ${path}: .npy header ${header(shape)}: its shape (${shape}) has dim ${dim}, not a non-negative integer (numpy reads no other)`);
  });

  it('a dim above 2^53 is refused naming it', () => {
    const path = file('x.npy', npyFloat32('99999999999999999999, 1', 0.5, 192));
    expect(explainError(model, { input: path })).toBe(`error: ${path}: .npy header ${header('99999999999999999999, 1')}: its shape (99999999999999999999, 1) has dim 100000000000000000000, above 2^53`);
  });

  it("a Python 2 header's long dims (1L, 3L, 8L, 8L) are read, as numpy reads them", () => {
    expect(readInputTensor(file('x.npy', npyFloat32('1L, 3L, 8L, 8L', 0.5, 192))).tensor.shape).toEqual([1, 3, 8, 8]);
  });

  it(`numpy (/usr/bin/python3) refuses every one of these files and reads the long dims as (1, 3, 8, 8)${NUMPY ? '' : ' [skipped: no numpy at /usr/bin/python3]'}`, { skip: !NUMPY }, () => {
    const paths = [...cases.map(([shape]) => shape), '99999999999999999999, 1', '1L, 3L, 8L, 8L'].map((shape, i) => file(`numpy_${i}.npy`, npyFloat32(shape, 0.5, 192)));
    const script = 'import sys, numpy as np\nfor p in sys.argv[1:]:\n    try: print(tuple(np.load(p).shape))\n    except Exception as e: print("refused")';
    const out = execFileSync('/usr/bin/python3', ['-c', script, ...paths], { encoding: 'utf8', timeout: 60_000 }).trim().split('\n');
    expect(out).toEqual([...paths.slice(0, -1).map(() => 'refused'), '(1, 3, 8, 8)']);
  });
});

/** A float32 .npy (format 1) of `shape` (or a shape tuple's text), every value `fill`; `count` values (the shape's by default). */
function npyFloat32(shape: number[] | string, fill: number, count = typeof shape === 'string' ? 0 : shape.reduce((a, b) => a * b, 1)): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${typeof shape === 'string' ? shape : shape.join(', ')}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 255, header.length >> 8]);
  head.set(new TextEncoder().encode(header), 10);
  const data = new Uint8Array(new Float32Array(count).fill(fill).buffer);
  return new Uint8Array([...head, ...data]);
}

describe('qconform explain: an input that does not fit the first layer', () => {
  const model = file('base.onnx', qdqModel());

  it('a [1, 5, 8, 8] file for a 3-channel conv is refused, naming both shapes', () => {
    const path = file('five.npy', npyFloat32([1, 5, 8, 8], 1));
    expect(explainError(model, { input: path })).toBe(`error: ${path}: shape [1, 5, 8, 8] does not fit the first layer qconv, which takes [N, 3, H, W] (3 input channels)`);
  });

  it('a 2-d file for a conv is refused', () => {
    const path = file('rows.json', '{"shape": [1, 3], "data": [1, 2, 3]}');
    expect(explainError(model, { input: path })).toBe(`error: ${path}: shape [1, 3] does not fit the first layer qconv, which takes [N, 3, H, W] (3 input channels)`);
  });

  it('--shape 1,5,8,8 for a 3-channel conv is refused', () => {
    expect(explainError(model, { shape: '1,5,8,8' })).toBe("error: generated input: shape [1, 5, 8, 8] (--shape, or the model's declared input shape) does not fit the first layer qconv, which takes [N, 3, H, W] (3 input channels)");
  });

  it('a first conv of group 0 (0 input channels) is refused by the conv checks, not blamed on the input', () => {
    const parts = qdqParts();
    parts.nodes.find((n) => n.opType === 'Conv')!.attribute!.push({ name: 'group', type: 2, i: 0 });
    const message = explainError(file('group0.onnx', qdqModel(parts)), {});
    expect(message).toMatch(/conv geometry is invalid/);
    expect(message).not.toMatch(/does not fit/);
  });

  it('an input that fits runs: exit 0, the first layer on the chain', () => {
    const path = file('three.npy', npyFloat32([1, 3, 8, 8], 0.5));
    expect(explainCommand(model, { seed: '1', input: path })).toBe(0);
    expect(err).toEqual([]);
  });
});

describe('qconform explain: --shape beside --input is taken only as the file\'s own shape', () => {
  const model = file('base.onnx', qdqModel());
  const path = file('three_by_8.npy', npyFloat32([1, 3, 8, 8], 0.5));

  it('--shape 1,3,9,9 beside a [1, 3, 8, 8] file is refused, naming both shapes (before, --shape was silently ignored)', () => {
    expect(explainError(model, { input: path, shape: '1,3,9,9' })).toBe(
      `error: --shape: [1, 3, 9, 9] is not the shape of the --input file ${path}, [1, 3, 8, 8]: explain runs the file's data in its own shape (leave out --shape, or give the file's)`,
    );
  });

  it('a --shape that is not a shape is refused beside --input too', () => {
    expect(explainError(model, { input: path, shape: '1,3,8' })).toBe('error: --shape: expected N,C,H,W or N,F (a model that starts with a linear layer; positive integers), got 1,3,8');
  });

  it('--shape 1,3,8,8 (the file\'s own) runs the file: exit 0', () => {
    expect(explainCommand(model, { seed: '1', input: path, shape: '1,3,8,8' })).toBe(0);
    expect(err).toEqual([]);
  });
});
