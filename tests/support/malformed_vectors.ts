/**
 * The malformed-vectors suite's material: a small valid vector set drawn from the committed sets (the
 * control), and a table of named mutations of it, each with the rule the loader must name and where
 * (file:line, the file, or manifest.json). A mutation edits a draft of the set (manifest, case lines,
 * extra files) or the directory written from it; the manifest's sha256 and case counts are recomputed
 * after the edit unless the mutation is about them, so that the intended rule is the one that fires.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Manifest, GEMMLOWP_VECTORS_DIR, TORCH_VECTORS_DIR, MAX_LINE_BYTES, sha256 } from '../../conformance/vectors/vector_set.js';

/** The control set: op file -> [source set, ids], in file order. */
const CONTROL: ReadonlyArray<{ file: string; op: string; from: string; ids: readonly string[] }> = [
  { file: 'quantize_per_tensor.v1.jsonl', op: 'quantize_per_tensor@1', from: TORCH_VECTORS_DIR, ids: ['quantize_per_tensor-00126', 'quantize_per_tensor-00245', 'quantize_per_tensor-00019'] },
  { file: 'dequantize_per_tensor.v1.jsonl', op: 'dequantize_per_tensor@1', from: TORCH_VECTORS_DIR, ids: ['dequantize_per_tensor-00041', 'dequantize_per_tensor-00167'] },
  { file: 'quantize_per_channel.v1.jsonl', op: 'quantize_per_channel@1', from: TORCH_VECTORS_DIR, ids: ['quantize_per_channel-00141'] },
  { file: 'calculate_qmin_qmax.v1.jsonl', op: 'calculate_qmin_qmax@1', from: TORCH_VECTORS_DIR, ids: ['calculate_qmin_qmax-00024', 'calculate_qmin_qmax-00088'] },
  { file: 'min_max_observer.v1.jsonl', op: 'min_max_observer@1', from: TORCH_VECTORS_DIR, ids: ['min_max_observer-00302', 'min_max_observer-00065'] },
  { file: 'placeholder_observer.v1.jsonl', op: 'placeholder_observer@1', from: TORCH_VECTORS_DIR, ids: ['placeholder_observer-00001'] },
  { file: 'quantized_conv2d.v1.jsonl', op: 'quantized_conv2d@1', from: TORCH_VECTORS_DIR, ids: ['quantized_conv2d-00622', 'quantized_conv2d-02008'] },
  { file: 'requantize.v1.jsonl', op: 'requantize@1', from: GEMMLOWP_VECTORS_DIR, ids: ['requantize-00535', 'requantize-00333'] },
];

export const Q = 'quantize_per_tensor.v1.jsonl';
export const DQ = 'dequantize_per_tensor.v1.jsonl';
export const QC = 'quantize_per_channel.v1.jsonl';
export const QMINMAX = 'calculate_qmin_qmax.v1.jsonl';
export const OBS = 'min_max_observer.v1.jsonl';
export const PLACEHOLDER = 'placeholder_observer.v1.jsonl';
export const CONV = 'quantized_conv2d.v1.jsonl';
export const REQ = 'requantize.v1.jsonl';

/** An editable vector set: manifest entries and each file's lines (no newlines). */
export interface Draft {
  manifest: Manifest;
  files: Map<string, string[]>;
}

let controlLines: Map<string, string[]> | null = null;

function controlDraft(): Draft {
  if (!controlLines) {
    controlLines = new Map();
    for (const { file, from, ids } of CONTROL) {
      const byId = new Map(readFileSync(join(from, file), 'utf8').split('\n').filter(Boolean).map((l) => [(JSON.parse(l) as { id: string }).id, l] as const));
      controlLines.set(file, ids.map((id) => byId.get(id)!));
    }
  }
  const files = new Map<string, string[]>([...controlLines].map(([f, lines]) => [f, [...lines]]));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: 1,
    seed: 'malformed-vectors-control',
    oracle: 'cases drawn from vectors/torch-1.13 and vectors/gemmlowp',
    provenance: {},
    files: CONTROL.map(({ file, op }) => ({ path: file, op, cases: 0, sha256: '0'.repeat(64) })),
  };
  return { manifest, files };
}

function fileText(lines: readonly string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Recompute each manifest entry's case count and sha256 from the draft's files. */
function fixup(d: Draft): void {
  for (const entry of d.manifest.files) {
    const lines = d.files.get(entry.path);
    if (!lines) continue;
    entry.cases = lines.length;
    entry.sha256 = sha256(fileText(lines));
  }
}

export interface Mutation {
  readonly name: string;
  /** The rule the refusal must name. */
  readonly rule: string;
  /** Where the refusal must point, relative to the set's directory ('' = the directory itself). */
  readonly at: string;
  /** Edit the draft before the manifest is fixed up (hashes and counts recomputed). */
  readonly edit?: (d: Draft) => void;
  /** Edit the manifest after the fix-up (hash and count tampering). */
  readonly afterFixup?: (m: Manifest) => void;
  /** Change the written directory (files replaced by FIFOs, devices, directories...). */
  readonly onDisk?: (dir: string) => void;
  /** What to pass to the loader instead of the directory (relative path, or absolute). */
  readonly source?: (dir: string) => string;
  /** Exercised through the real CLI too. */
  readonly cli?: boolean;
  /** Text the refusal's message must hold (the output or code it names). */
  readonly says?: string;
}

/** Write the draft (after `m`'s edits) into a fresh temporary directory; returns it. */
export function writeSet(m?: Mutation): string {
  const dir = mkdtempSync(join(tmpdir(), 'qconform-malformed-'));
  const d = controlDraft();
  m?.edit?.(d);
  fixup(d);
  m?.afterFixup?.(d.manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(d.manifest, null, 2));
  for (const [file, lines] of d.files) writeFileSync(join(dir, file), fileText(lines));
  m?.onDisk?.(dir);
  return dir;
}

export function removeSet(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

type Case = Record<string, any>;

/** Edit case `line` (1-based) of `file` as an object. */
function editCase(file: string, line: number, fn: (c: Case) => void): (d: Draft) => void {
  return (d) => {
    const lines = d.files.get(file)!;
    const c = JSON.parse(lines[line - 1]!) as Case;
    fn(c);
    lines[line - 1] = JSON.stringify(c);
  };
}

function setLine(file: string, line: number, text: string): (d: Draft) => void {
  return (d) => void (d.files.get(file)![line - 1] = text);
}

const caseMutation = (name: string, rule: string, file: string, line: number, fn: (c: Case) => void, cli = false, says?: string): Mutation => ({
  name,
  rule,
  at: `${file}:${line}`,
  edit: editCase(file, line, fn),
  cli,
  ...(says === undefined ? {} : { says }),
});

/** The manifest's JSON text line (1-based) where the second entry for `file` begins its path. */
function duplicateEntryLine(): string {
  const d = controlDraft();
  d.manifest.files.push({ ...d.manifest.files[0]! });
  const text = JSON.stringify(d.manifest, null, 2);
  const second = text.indexOf(`"${Q}"`, text.indexOf(`"${Q}"`) + 1);
  return `manifest.json:${text.slice(0, second).split('\n').length}`;
}

export const MUTATIONS: readonly Mutation[] = [
  // manifest.json
  { name: 'manifest.json absent', rule: 'missing', at: 'manifest.json', onDisk: (dir) => rmSync(join(dir, 'manifest.json')), cli: true },
  { name: 'manifest.json not JSON', rule: 'json', at: 'manifest.json:1', onDisk: (dir) => writeFileSync(join(dir, 'manifest.json'), '{"format": "qconform-vectors/1",') },
  { name: 'manifest.json a directory', rule: 'not-a-file', at: 'manifest.json', onDisk: (dir) => (rmSync(join(dir, 'manifest.json')), mkdirSync(join(dir, 'manifest.json'))) },
  { name: 'manifest.json larger than 4 MiB', rule: 'too-large', at: 'manifest.json', onDisk: (dir) => writeFileSync(join(dir, 'manifest.json'), ' '.repeat(4 * 1024 * 1024 + 1)) },
  { name: 'manifest format of another version', rule: 'schema', at: 'manifest.json', afterFixup: (m) => void ((m as { format: string }).format = 'qconform-vectors/2') },
  { name: 'manifest entry without sha256', rule: 'schema', at: 'manifest.json', afterFixup: (m) => void delete (m.files[1] as Partial<Manifest['files'][0]>).sha256 },
  { name: 'manifest with an unknown top-level key', rule: 'schema', at: 'manifest.json', afterFixup: (m) => void ((m as unknown as Record<string, unknown>).extra = 1) },
  { name: 'manifest path escaping the directory', rule: 'schema', at: 'manifest.json', afterFixup: (m) => void (m.files[0]!.path = `../${Q}`) },
  { name: 'manifest case count negative', rule: 'schema', at: 'manifest.json', afterFixup: (m) => void (m.files[0]!.cases = -1) },
  { name: 'manifest sha256 in upper case', rule: 'schema', at: 'manifest.json', afterFixup: (m) => void (m.files[0]!.sha256 = m.files[0]!.sha256.toUpperCase()) },
  { name: 'manifest lists a file twice (cases counted twice)', rule: 'duplicate-entry', at: duplicateEntryLine(), afterFixup: (m) => void m.files.push({ ...m.files[0]! }), cli: true },
  { name: 'manifest counts one case too many', rule: 'count', at: Q, afterFixup: (m) => void (m.files[0]!.cases += 1) },
  { name: 'manifest counts one case too few', rule: 'count', at: DQ, afterFixup: (m) => void (m.files[1]!.cases -= 1) },
  { name: 'one byte changed, manifest sha256 left alone', rule: 'sha256', at: Q, afterFixup: (m) => void (m.files[0]!.sha256 = sha256('something else')), cli: true },
  { name: 'corrupted line with a stale sha256 (the hash is named, not the line)', rule: 'sha256', at: DQ, edit: setLine(DQ, 2, '{"id": garbage'), afterFixup: (m) => void (m.files[1]!.sha256 = sha256('stale')) },
  { name: 'listed file absent', rule: 'missing', at: QMINMAX, onDisk: (dir) => rmSync(join(dir, QMINMAX)) },
  { name: 'unlisted .jsonl file in the directory', rule: 'unlisted-file', at: 'stray.v1.jsonl', onDisk: (dir) => writeFileSync(join(dir, 'stray.v1.jsonl'), ''), cli: true },
  { name: 'listed file is a directory', rule: 'not-a-file', at: OBS, onDisk: (dir) => (rmSync(join(dir, OBS)), mkdirSync(join(dir, OBS))) },
  { name: 'listed file is a FIFO (would block forever)', rule: 'not-a-file', at: OBS, onDisk: (dir) => (rmSync(join(dir, OBS)), execFileSync('mkfifo', [join(dir, OBS)])) },
  { name: 'listed file is a link to /dev/zero (endless)', rule: 'not-a-file', at: OBS, onDisk: (dir) => (rmSync(join(dir, OBS)), symlinkSync('/dev/zero', join(dir, OBS))), cli: true },
  { name: 'manifest op differs from the cases of the file', rule: 'op', at: `${DQ}:1`, afterFixup: (m) => void (m.files[1]!.op = 'quantize_per_tensor@1') },
  // the path given to the loader
  { name: '--vectors on a missing path', rule: 'missing', at: 'no-such-dir', source: (dir) => join(dir, 'no-such-dir'), cli: true },
  { name: '--vectors on /dev/zero', rule: 'not-a-file', at: '/dev/zero', source: () => '/dev/zero', cli: true },
  { name: '--vectors on a file missing from its manifest', rule: 'unlisted-file', at: 'other.json', source: (dir) => join(dir, 'other.json'), onDisk: (dir) => writeFileSync(join(dir, 'other.json'), '') },
  // lines
  { name: 'a line that is not JSON', rule: 'json', at: `${Q}:2`, edit: setLine(Q, 2, '{"id": "quantize_per_tensor-00245",'), cli: true },
  { name: 'an empty line between cases', rule: 'json', at: `${DQ}:2`, edit: (d) => void d.files.get(DQ)!.splice(1, 0, '') },
  { name: 'a truncated last line', rule: 'json', at: `${CONV}:2`, edit: (d) => void (d.files.get(CONV)![1] = d.files.get(CONV)![1]!.slice(0, 300)) },
  { name: 'a byte-order mark before the first case', rule: 'json', at: `${REQ}:1`, edit: (d) => void (d.files.get(REQ)![0] = `\uFEFF${d.files.get(REQ)![0]}`), cli: true, says: 'line is not valid JSON (it starts with a byte-order mark, U+FEFF: write UTF-8 without one)' },
  { name: 'a byte-order mark before the manifest', rule: 'json', at: 'manifest.json:1', onDisk: (dir) => writeFileSync(join(dir, 'manifest.json'), `\uFEFF${readFileSync(join(dir, 'manifest.json'), 'utf8')}`), says: 'it starts with a byte-order mark' },
  { name: 'a NUL byte inside a line', rule: 'json', at: `${QMINMAX}:1`, edit: (d) => void (d.files.get(QMINMAX)![0] = d.files.get(QMINMAX)![0]!.replace(',"op"', '\0,"op"')) },
  { name: 'a line longer than the limit (not buffered whole)', rule: 'line-length', at: `${QMINMAX}:2`, edit: (d) => void (d.files.get(QMINMAX)![1] = `{"id":"${'x'.repeat(MAX_LINE_BYTES)}"}`), cli: true },
  // case schema
  { name: 'a JSON array instead of a case object', rule: 'schema', at: `${Q}:1`, edit: setLine(Q, 1, '[1,2,3]') },
  caseMutation('case without an id', 'schema', Q, 1, (c) => void delete c.id),
  caseMutation('case id without its five-digit number', 'schema', Q, 2, (c) => void (c.id = 'quantize_per_tensor-1')),
  caseMutation('case with an unknown top-level key', 'schema', DQ, 1, (c) => void (c.comment = 'hi')),
  caseMutation('case without expect', 'schema', DQ, 2, (c) => void delete c.expect),
  caseMutation('expect with both outputs and error', 'schema', Q, 1, (c) => void (c.expect.error = { code: 'scale_not_positive' })),
  caseMutation('float32 hex of 7 digits', 'schema', Q, 1, (c) => void (c.inputs.x.hex[0] = '0e06d66')),
  caseMutation('float32 hex in upper case', 'schema', Q, 2, (c) => void (c.inputs.x.hex[0] = 'C2C58F8C')),
  caseMutation('integer tensor holding 1.5', 'schema', DQ, 1, (c) => void (c.inputs.q.values[0] = 1.5)),
  caseMutation('tensor of an unknown dtype', 'schema', DQ, 2, (c) => void (c.inputs.q.dtype = 'quint16')),
  caseMutation('negative shape dimension', 'schema', Q, 1, (c) => void (c.inputs.x.shape = [-1])),
  // ids and ops
  caseMutation('id used twice in one file', 'duplicate-id', Q, 2, (c) => void (c.id = 'quantize_per_tensor-00126')),
  {
    name: 'id used in two files',
    rule: 'duplicate-id',
    at: `${DQ}:1`,
    edit: (d) => {
      editCase(DQ, 1, (c) => void (c.id = 'quantize_per_tensor-00126'))(d);
    },
    cli: true,
  },
  caseMutation('case of another op than its file', 'op', DQ, 2, (c) => void (c.op = 'quantize_per_tensor@1')),
  {
    name: 'unknown op (file and case agree)',
    rule: 'unknown-op',
    at: `${Q}:1`,
    edit: (d) => {
      for (let i = 1; i <= 3; i++) editCase(Q, i, (c) => void (c.op = 'quantize_per_tensor@9'))(d);
      d.manifest.files[0]!.op = 'quantize_per_tensor@9';
    },
    cli: true,
  },
  caseMutation('unknown expected error code', 'error-code', Q, 3, (c) => void (c.expect.error.code = 'zero_point_too_big'), true),
  caseMutation('expected error code from another rule than the contract raises', 'contract', Q, 3, (c) => void (c.expect.error.code = 'scale_not_positive')),
  // names every JavaScript object inherits are no error codes (contract/errors.ts ERROR_CODES is read by own names)
  caseMutation('expected error code toString', 'error-code', Q, 3, (c) => void (c.expect.error.code = 'toString'), true, 'expected error code toString is not one of contract/errors.ts'),
  caseMutation('expected error code constructor', 'error-code', Q, 3, (c) => void (c.expect.error.code = 'constructor'), false, 'expected error code constructor is not one of'),
  caseMutation('expected error code __proto__', 'error-code', Q, 3, (c) => void (c.expect.error.code = '__proto__'), false, 'expected error code __proto__ is not one of'),
  // requests, decoded as dispatch decodes them
  caseMutation('zero_point of 1.5', 'request', Q, 1, (c) => void (c.attrs.zero_point = 1.5), true),
  caseMutation('zero_point as a string', 'request', DQ, 1, (c) => void (c.attrs.zero_point = '0')),
  caseMutation('scale as a JSON number instead of hex bits', 'request', Q, 2, (c) => void (c.attrs.scale = 1.0)),
  caseMutation('scale hex of 15 digits', 'request', DQ, 2, (c) => void (c.attrs.scale = '3fed0fa2c000000')),
  caseMutation('attr dtype missing', 'request', Q, 1, (c) => void delete c.attrs.dtype),
  caseMutation('input x missing', 'request', Q, 2, (c) => void delete c.inputs.x, true),
  caseMutation('input elements fewer than the shape', 'request', Q, 1, (c) => void c.inputs.x.shape.push(2)),
  caseMutation('shape claiming 10^9 elements for one', 'request', DQ, 1, (c) => void (c.inputs.q.shape = [1000000000])),
  caseMutation('integer input of 2^40', 'request', DQ, 2, (c) => void (c.inputs.q.values[0] = 2 ** 40)),
  caseMutation('float input where integers are expected', 'request', DQ, 1, (c) => void (c.inputs.q = { dtype: 'float32', shape: [1], hex: ['00000000'] })),
  caseMutation('per-channel scales as float32 instead of float64', 'request', QC, 1, (c) => void (c.inputs.scales = { dtype: 'float32', shape: [1], hex: ['3f800000'] })),
  caseMutation('observer batches not a list', 'request', OBS, 1, (c) => void (c.inputs.batches = c.inputs.batches[0])),
  caseMutation('reduce_range as 0', 'request', OBS, 2, (c) => void (c.attrs.reduce_range = 0)),
  caseMutation('conv groups of 1.5', 'request', CONV, 1, (c) => void (c.attrs.groups = 1.5)),
  caseMutation('conv stride with one element', 'request', CONV, 2, (c) => void (c.attrs.stride = [1])),
  caseMutation('requantize multiplier as a string', 'request', REQ, 1, (c) => void (c.attrs.multiplier = '1')),
  caseMutation('misspelt extra attr (zero_pont)', 'unknown-attr', Q, 1, (c) => void (c.attrs.zero_pont = 3)),
  caseMutation('attr named __proto__', 'unknown-attr', DQ, 2, (c) => void Object.defineProperty(c.attrs, '__proto__', { value: 1, enumerable: true })),
  caseMutation('an input the op does not take', 'unknown-input', DQ, 1, (c) => void (c.inputs.y = c.inputs.q)),
  // the contract, for cases that expect outputs
  caseMutation('zero_point 300 for quint8, outputs expected', 'contract', Q, 2, (c) => void (c.attrs.zero_point = 300), true),
  caseMutation('scale 0, outputs expected', 'contract', DQ, 1, (c) => void (c.attrs.scale = '0000000000000000')),
  caseMutation('unknown quantized dtype, outputs expected', 'contract', Q, 1, (c) => void (c.attrs.dtype = 'quint16')),
  caseMutation('quint8 input value 300, outputs expected', 'contract', DQ, 1, (c) => void (c.inputs.q.values[0] = 300)),
  caseMutation('observer qscheme per_channel_affine, outputs expected', 'contract', OBS, 1, (c) => void (c.attrs.qscheme = 'per_channel_affine')),
  caseMutation('observer quant range excluding 0, outputs expected', 'contract', OBS, 2, (c) => void (c.attrs.quant_min = 3)),
  caseMutation('conv of an unknown scheme, outputs expected', 'contract', CONV, 1, (c) => void (c.attrs.scheme = 'torch-fbgemm@7')),
  caseMutation('requantize shift 40, outputs expected', 'contract', REQ, 2, (c) => void (c.attrs.shift = 40)),
  caseMutation('calculate_qmin_qmax of dtype float, outputs expected', 'contract', QMINMAX, 1, (c) => void (c.attrs.dtype = 'float32')),
  // expected outputs
  caseMutation('expected value 2^40', 'outputs', Q, 1, (c) => void (c.expect.outputs.q.values[0] = 2 ** 40), true),
  caseMutation('expected quint8 value 256', 'outputs', Q, 2, (c) => void (c.expect.outputs.q.values[0] = 256)),
  caseMutation('expected conv qint8/quint8 value out of range', 'outputs', CONV, 1, (c) => void (c.expect.outputs.y.values[0] = c.expect.outputs.y.dtype === 'qint8' ? -129 : -1)),
  caseMutation('expected output of another dtype than the op returns', 'outputs', Q, 2, (c) => void (c.expect.outputs.q.dtype = 'qint32')),
  caseMutation('expected output missing', 'outputs', DQ, 1, (c) => void (c.expect.outputs = {})),
  caseMutation('expected output the op does not return', 'outputs', DQ, 2, (c) => void (c.expect.outputs.extra = c.expect.outputs.x)),
  // an expected output named as what every object inherits is an output the op does not return (crashed the run before)
  caseMutation('expected output named constructor', 'outputs', DQ, 2, (c) => void (c.expect.outputs.constructor = c.expect.outputs.x), true, 'expect.outputs has constructor, which dequantize_per_tensor@1 does not return'),
  caseMutation('expected output named toString', 'outputs', Q, 1, (c) => void (c.expect.outputs.toString = c.expect.outputs.q), false, 'expect.outputs has toString, which'),
  caseMutation('expected output named __proto__', 'outputs', CONV, 1, (c) => void Object.defineProperty(c.expect.outputs, '__proto__', { value: c.expect.outputs.y, enumerable: true }), false, 'expect.outputs has __proto__, which quantized_conv2d@1 does not return'),
  caseMutation('expected output of another shape than its input', 'outputs', Q, 1, (c) => void (c.expect.outputs.q.shape = [1, 1])),
  caseMutation('expected output with fewer elements than its shape', 'outputs', REQ, 1, (c) => void c.expect.outputs.y.values.pop()),
  caseMutation('expected float output as integers', 'outputs', DQ, 1, (c) => void (c.expect.outputs.x = { dtype: 'int32', shape: [1], values: [0] })),
  caseMutation('expected zero_point as float64', 'outputs', OBS, 1, (c) => void (c.expect.outputs.zero_point = { dtype: 'float64', shape: [], hex: ['0000000000000000'] })),
  caseMutation('expected quant_min of 2^40', 'outputs', QMINMAX, 2, (c) => void (c.expect.outputs.quant_min = 2 ** 40)),
  caseMutation('outputs expected from an op that always raises', 'outputs', PLACEHOLDER, 1, (c) => void (c.expect = { outputs: {} })),
  caseMutation('oracle_outputs that do not decode', 'outputs', Q, 3, (c) => void (c.expect.error.oracle_outputs = { q: { dtype: 'quint8', shape: [2], values: [1] } })),
];
