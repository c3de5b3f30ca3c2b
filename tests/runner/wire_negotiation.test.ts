/**
 * The runner negotiates the compact tensor encoding (conformance/protocol/wire_negotiation.ts; docs/protocol.md,
 * "Compact tensors"): a real process whose handshake offers `base64le` (`qconform eval`) is sent base64le tensors
 * and asked for base64le outputs; a JSON-only process (the Python example backend) and `--wire json` get json, as
 * before. What went over each process's stdin is recorded with `tee` and checked. Verdicts, details and the first
 * differing element are the same in both encodings, on passing cases of every op family and on cases whose
 * expectation was altered so that they fail. Transcoding is bit for bit, a signalling NaN's payload included.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SubprocessBackend } from '../../conformance/backends/subprocess/subprocess_backend.js';
import { compactRequest, jsonOutputs, negotiatedEncoding } from '../../conformance/protocol/wire_negotiation.js';
import type { WireOutputs } from '../../conformance/protocol/messages.js';
import { unclaimedReason } from '../../conformance/runner/claims.js';
import { runCase } from '../../conformance/runner/run_case.js';
import type { CaseResult } from '../../conformance/runner/results.js';
import { type SelectedCase, selectCases } from '../../conformance/runner/vector_selection.js';
import { COMMITTED_VECTOR_DIRS, TORCH_VECTORS_DIR } from '../../conformance/vectors/vector_types.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { encodeTensor } from '../../contract/wire.js';
import { compactWireTensor, jsonWireTensor } from '../../contract/wire_transcode.js';
import { runQconform } from '../support/cli_process.js';
import { PROJECT_ROOT } from '../support/runner_fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-wire-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const QCONFORM = resolve(PROJECT_ROOT, 'bin/qconform.mjs');
const PYTHON_EXAMPLE = resolve(PROJECT_ROOT, 'examples/python_backend/qconform_backend.py');
const EVAL_IMPL = `${process.execPath} ${QCONFORM} eval --backend impl`;

/** `command`, with what it reads on stdin also written to `log` (the requests exactly as sent). */
function teed(command: string, log: string) {
  return { command: 'bash', args: ['-c', `tee ${log} | exec ${command}`] };
}

/** The requests a process read, one parsed JSON object per line. */
function requestsIn(log: string): Record<string, unknown>[] {
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The first `perOp` cases of each op of each committed set. */
function sampleCases(perOp: number): SelectedCase[] {
  const out: SelectedCase[] = [];
  for (const dir of COMMITTED_VECTOR_DIRS) {
    const seen = new Map<string, number>();
    for (const s of selectCases(dir).cases) {
      const n = seen.get(s.case.op) ?? 0;
      if (n >= perOp) continue;
      seen.set(s.case.op, n + 1);
      out.push(s);
    }
  }
  return out;
}

/** The case with its first expected tensor's first element changed (a float's last bit, an integer by one). */
function altered(s: SelectedCase): SelectedCase | null {
  const want = s.case.expect;
  if (!('outputs' in want)) return null;
  const entry = Object.entries(want.outputs).find(([, v]) => typeof v !== 'number' && ('hex' in v ? v.hex.length : 'values' in v ? v.values.length : 0) > 0);
  if (!entry) return null;
  const [name, t] = entry;
  let changed: WireOutputs[string];
  if (typeof t === 'number') return null;
  if ('hex' in t) changed = { ...t, hex: [(BigInt(`0x${t.hex[0]}`) ^ 1n).toString(16).padStart(t.hex[0]!.length, '0'), ...t.hex.slice(1)] };
  else if ('values' in t) changed = { ...t, values: [t.values[0]! + 1, ...t.values.slice(1)] };
  else return null;
  return { ...s, case: { ...s.case, id: `${s.case.id}-altered`, expect: { outputs: { ...want.outputs, [name]: changed } } } };
}

/** What must not depend on the encoding: verdict, detail, the first differing element, the schemes that match. */
const judged = (r: CaseResult) => ({ id: r.id, verdict: r.verdict, detail: r.detail, element: r.element, matchesSchemes: r.matchesSchemes });

async function runAll(backend: SubprocessBackend, cases: readonly SelectedCase[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const s of cases) results.push(await runCase(backend, s, { timeoutMs: 60_000, knownSchemes: [s.scheme] }));
  return results;
}

describe('negotiating the tensor encoding', () => {
  it('base64le only when the handshake offers it and --wire is auto', () => {
    expect(negotiatedEncoding({})).toBe('json');
    expect(negotiatedEncoding({ encodings: ['json'] })).toBe('json');
    expect(negotiatedEncoding({ encodings: ['future-encoding'] })).toBe('json');
    expect(negotiatedEncoding({ encodings: ['json', 'base64le'] })).toBe('base64le');
    expect(negotiatedEncoding({ encodings: ['base64le'] }, 'auto')).toBe('base64le');
    expect(negotiatedEncoding({ encodings: ['json', 'base64le'] }, 'json')).toBe('json');
  });

  it('transcodes json tensors to base64le and back bit for bit: NaN payloads (a signalling one too), -0, every integer dtype', () => {
    const samples = [
      { dtype: 'float32', shape: [5], hex: ['7f800001', 'ffc00123', '80000000', '7f800000', '3f800000'] },
      { dtype: 'float64', shape: [3], hex: ['7ff0000000000001', '8000000000000000', '3ff0000000000000'] },
      { dtype: 'float32', shape: [0], hex: [] },
      ...(['quint8', 'qint8', 'qint32', 'int32', 'int64', 'int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4', 'quint4x2'] as const).map((d) => ({
        dtype: d,
        shape: [2],
        values: { quint8: [0, 255], qint8: [-128, 127], qint32: [-(2 ** 31), 2 ** 31 - 1], int32: [-7, 70000], int64: [-(2 ** 31), 2 ** 31 - 1], int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535], int4: [-8, 7], uint4: [0, 15], quint4x2: [0, 15] }[d],
      })),
    ];
    for (const w of samples) {
      const compact = compactWireTensor(w, 'x');
      expect(Object.keys(compact).sort(), w.dtype).toEqual(['b64', 'dtype', 'shape']);
      expect(jsonWireTensor(compact, 'x'), w.dtype).toEqual(w);
    }
    // the signalling NaN 7f800001 travels as its own bytes (01 00 80 7f), not quieted to 7fc00001
    expect(compactWireTensor({ dtype: 'float32', shape: [1], hex: ['7f800001'] }, 'x')).toEqual({ dtype: 'float32', shape: [1], b64: Buffer.from([1, 0, 0x80, 0x7f]).toString('base64') });
    expect(() => compactWireTensor({ dtype: 'float32', shape: [2], hex: ['3f800000'] }, 'x')).toThrow(/expected 2 elements/);
  });

  it('a request is sent with its tensors (lists of tensors too) in base64le; one that does not decode is sent as it is', () => {
    const x = encodeTensor(f32Tensor([2], [1, -2]));
    const bad = { dtype: 'float32', shape: [3], hex: ['3f800000'] };
    const request = { id: 'r', op: 'min_max_observer@1', attrs: { dtype: 'quint8' }, inputs: { batches: [x, bad], q: encodeTensor(intTensor('qint8', [1], [-1])), none: null } };
    const sent = compactRequest(request);
    expect(sent.encoding).toBe('base64le');
    expect(sent.inputs).toEqual({ batches: [compactWireTensor(x, 'x'), bad], q: { dtype: 'qint8', shape: [1], b64: '/w==' }, none: null });
    expect(request.inputs.batches[0]).toBe(x); // the case itself is not changed
    const outputs = { q: { dtype: 'qint8', shape: [1], b64: '/w==' }, quant_min: 0, broken: { dtype: 'qint8', shape: [2], b64: '/w==' } } as unknown as WireOutputs;
    expect(jsonOutputs(outputs)).toEqual({ q: { dtype: 'qint8', shape: [1], values: [-1] }, quant_min: 0, broken: outputs.broken });
  });

  it('base64le outputs named __proto__ or constructor (as a backend\'s JSON line parses) stay own outputs of the json form', () => {
    for (const name of ['__proto__', 'constructor']) {
      const outputs = JSON.parse(`{"q":{"dtype":"qint8","shape":[1],"b64":"/w=="},"${name}":{"dtype":"qint8","shape":[1],"b64":"AQ=="}}`) as WireOutputs;
      const json = jsonOutputs(outputs);
      expect(Object.keys(json), name).toEqual(['q', name]);
      expect(Object.getPrototypeOf(json), name).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(json, name)?.value, name).toEqual({ dtype: 'qint8', shape: [1], values: [1] });
    }
  });

  it('qconform eval (offers base64le) and the JSON-only Python example, as real processes: each gets its encoding, verdicts are identical', async () => {
    const cases = sampleCases(6);
    const alteredCases = cases.map(altered).filter((s): s is SelectedCase => s !== null).filter((_, i) => i % 4 === 0);
    const all = [...cases, ...alteredCases];
    const compactLog = join(tmp, 'compact.log');
    const jsonLog = join(tmp, 'json.log');
    const compact = await SubprocessBackend.start(teed(EVAL_IMPL, compactLog));
    const json = await SubprocessBackend.start(teed(EVAL_IMPL, jsonLog), { wire: 'json' });
    let compactResults: CaseResult[];
    let jsonResults: CaseResult[];
    try {
      expect(compact.wireEncoding).toBe('base64le');
      expect(json.wireEncoding).toBe('json');
      compactResults = await runAll(compact, all);
      jsonResults = await runAll(json, all);
    } finally {
      await compact.close();
      await json.close();
    }
    expect(compactResults.map(judged)).toEqual(jsonResults.map(judged));
    // not vacuous: many passes across the op families, the altered cases fail on an element, in both encodings
    const verdicts = (rs: CaseResult[]) => rs.reduce<Record<string, number>>((n, r) => ({ ...n, [r.verdict]: (n[r.verdict] ?? 0) + 1 }), {});
    expect(verdicts(compactResults).pass).toBeGreaterThan(300);
    expect(new Set(compactResults.filter((r) => r.verdict === 'pass').map((r) => r.op)).size).toBeGreaterThan(30);
    const alteredResults = compactResults.filter((r) => r.id.endsWith('-altered'));
    expect(alteredResults.length).toBeGreaterThan(40);
    for (const r of alteredResults) expect([r.id, r.verdict, r.element?.index]).toEqual([r.id, 'fail', 0]);
    // what went over the wire: base64le tensors and outputs asked for in base64le, or json only
    const sentCompact = requestsIn(compactLog);
    const sentJson = requestsIn(jsonLog);
    expect(sentCompact).toHaveLength(all.length);
    expect(sentJson).toHaveLength(all.length);
    expect(sentCompact.every((r) => r.encoding === 'base64le')).toBe(true);
    expect(sentCompact.filter((r) => JSON.stringify(r.inputs).includes('"b64":"')).length).toBeGreaterThan(all.length * 0.9);
    expect(sentCompact.some((r) => JSON.stringify(r.inputs).includes('"hex":[') || JSON.stringify(r.inputs).includes('"values":['))).toBe(false);
    expect(sentJson.some((r) => 'encoding' in r || JSON.stringify(r.inputs).includes('"b64"'))).toBe(false);

    // the Python example offers no encodings: json, and its verdicts on what it claims equal qconform eval's in base64le
    const pythonLog = join(tmp, 'python.log');
    const python = await SubprocessBackend.start(teed(`python3 ${PYTHON_EXAMPLE}`, pythonLog));
    let pythonResults: CaseResult[];
    const claimed = cases.filter((s) => !unclaimedReason(python.capabilities, s.case));
    try {
      expect(python.wireEncoding).toBe('json');
      pythonResults = await runAll(python, claimed);
    } finally {
      await python.close();
    }
    expect(claimed.length).toBeGreaterThan(5);
    expect(pythonResults.map(judged)).toEqual(compactResults.filter((r) => claimed.some((s) => s.case.id === r.id)).map(judged));
    expect(pythonResults.every((r) => r.verdict === 'pass')).toBe(true);
    expect(requestsIn(pythonLog).some((r) => 'encoding' in r || JSON.stringify(r.inputs).includes('"b64"'))).toBe(false);
  }, 300_000);

  it('qconform run --wire auto and --wire json give the same report on a command backend; another value is a usage error', async () => {
    const reports: Record<string, { results: CaseResult[] }> = {};
    for (const wire of ['auto', 'json']) {
      const report = join(tmp, `run-${wire}.json`);
      const r = await runQconform(['run', '--backend', EVAL_IMPL, '--vectors', TORCH_VECTORS_DIR, '--op', 'quantize_per_tensor', 'dequantize_per_channel', '--wire', wire, '--report', report]);
      expect(r.exitCode, r.stderr).toBe(0);
      reports[wire] = JSON.parse(readFileSync(report, 'utf8'));
    }
    const strip = (rs: CaseResult[]) => rs.map((r) => ({ ...r, ms: 0 }));
    expect(reports.auto!.results.length).toBeGreaterThan(500);
    expect(strip(reports.auto!.results)).toEqual(strip(reports.json!.results));
    const bad = await runQconform(['run', '--backend', EVAL_IMPL, '--wire', 'xml']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--wire.*xml|Allowed choices are auto, json/);
  }, 300_000);
});
