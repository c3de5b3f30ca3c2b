/**
 * Cases with empty tensors (a dimension of 0) through `qconform run` and all three report writers: the vector loader
 * validates them, a backend that computes them passes, and one that returns the wrong shape (empty for full, full for
 * empty, another empty shape) fails each case with a shape difference; every report is written and parses. The
 * expectations are onnxruntime-node 1.30's outputs (recorded; tests/backends/ort_empty_tensors.test.ts checks the same
 * forms live).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQconform } from '../support/cli_process.js';
import { PROJECT_ROOT } from '../support/runner_fixtures.js';
import { parseJunit } from '../support/xml_check.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-empty-cases-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const t = (dtype: string, shape: number[], values: number[] = []) => ({ dtype, shape, values });
const f32 = (shape: number[], hex: string[] = []) => ({ dtype: 'float32', shape, hex });
const ACC = { accumulator: 'int32_wrap' };

/** The committed GatherBlockQuantized case 0 (uint4 data [4, 32], gather_axis 1) with indices [2, 0]. */
function gatherCase(): unknown {
  const line = readFileSync(join(PROJECT_ROOT, 'vectors/onnxruntime-1.30-ops/gather_block_quantized.v1.jsonl'), 'utf8').split('\n')[0]!;
  const c = JSON.parse(line) as { inputs: Record<string, unknown> };
  return { id: 'gather_block_quantized-00005', op: 'gather_block_quantized@1', attrs: { gather_axis: 1, quantize_axis: 1, block_size: 32 }, inputs: { ...c.inputs, indices: t('int64', [2, 0]) }, expect: { outputs: { y: { dtype: 'float16', shape: [4, 2, 0], hex: [] } } } };
}

const CASES = [
  { id: 'matmul_integer-00000', op: 'matmul_integer@1', attrs: ACC, inputs: { a: t('quint8', [0, 3]), b: t('qint8', [3, 4], Array(12).fill(3)), a_zero_point: t('quint8', [], [2]) }, expect: { outputs: { y: t('int32', [0, 4]) } } },
  { id: 'matmul_integer-00001', op: 'matmul_integer@1', attrs: ACC, inputs: { a: t('quint8', [2, 3], Array(6).fill(7)), b: t('qint8', [3, 0]) }, expect: { outputs: { y: t('int32', [2, 0]) } } },
  { id: 'matmul_integer_to_float-00002', op: 'matmul_integer_to_float@1', attrs: ACC, inputs: { a: t('quint8', [0, 2, 3]), a_scale: f32([], ['3f000000']), b: t('qint8', [3, 4], Array(12).fill(3)), b_scale: f32([], ['3f000000']) }, expect: { outputs: { y: f32([0, 2, 4]) } } },
  { id: 'qlinear_add-00003', op: 'qlinear_add@1', attrs: {}, inputs: { a: t('quint8', [0]), a_scale: f32([], ['3f000000']), a_zero_point: t('quint8', [], [1]), b: t('quint8', [1], [7]), b_scale: f32([], ['3f000000']), b_zero_point: t('quint8', [], [1]), c_scale: f32([], ['3f000000']), c_zero_point: t('quint8', [], [1]) }, expect: { outputs: { y: t('quint8', [0]) } } },
  { id: 'matmul_integer16-00004', op: 'matmul_integer16@1', attrs: {}, inputs: { a: t('int16', [2, 0]), b: t('int16', [0, 3]) }, expect: { outputs: { y: t('int32', [2, 3], Array(6).fill(0)) } } },
];

function caseFile(): string {
  const path = join(tmp, 'empty.jsonl');
  writeFileSync(path, `${[...CASES, gatherCase()].map((c) => JSON.stringify(c)).join('\n')}\n`);
  return path;
}

interface JsonReport {
  readonly passed: boolean;
  readonly results: readonly { id: string; verdict: string; detail?: string }[];
}

async function run(backend: string, tag: string) {
  const reports = { json: join(tmp, `${tag}.json`), junit: join(tmp, `${tag}.xml`), html: join(tmp, `${tag}.html`) };
  const r = await runQconform(['run', '--backend', backend, '--vectors', caseFile(), '--all-cases', '--report', reports.json, '--junit', reports.junit, '--html', reports.html]);
  const report = JSON.parse(readFileSync(reports.json, 'utf8')) as JsonReport;
  const junit = readFileSync(reports.junit, 'utf8');
  const totals = parseJunit(junit);
  expect('error' in totals ? totals.error : totals.testcases, junit).toBe(6);
  const html = readFileSync(reports.html, 'utf8');
  return { r, report, junit, html };
}

describe('cases with empty tensors through qconform run and its reports', () => {
  it('the reference passes every case; the reports hold them all', { timeout: 120_000 }, async () => {
    const { r, report, junit, html } = await run('reference', 'reference');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(report.passed).toBe(true);
    expect(report.results.map((x) => x.verdict)).toEqual(Array(6).fill('pass'));
    for (const id of report.results.map((x) => x.id)) expect(junit).toContain(id);
    for (const op of ['matmul_integer@1', 'matmul_integer16@1', 'matmul_integer_to_float@1', 'qlinear_add@1', 'gather_block_quantized@1']) expect(html).toContain(op);
  });

  it('a backend returning the wrong shape fails every case with the shape difference; the reports are written', { timeout: 120_000 }, async () => {
    const { r, report, junit, html } = await run(join(PROJECT_ROOT, 'tests/fixtures/backends/wrong_empty_shape_backend.ts'), 'wrong');
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(report.passed).toBe(false);
    const byId = new Map(report.results.map((x) => [x.id, x]));
    expect(byId.get('matmul_integer-00000')).toMatchObject({ verdict: 'fail', detail: 'output y: shape differs: expected [0,4], got [0,5]' });
    expect(byId.get('qlinear_add-00003')).toMatchObject({ verdict: 'fail', detail: 'output y: shape differs: expected [0], got [2]' });
    expect(byId.get('matmul_integer16-00004')).toMatchObject({ verdict: 'fail', detail: 'output y: shape differs: expected [2,3], got [2,0]' });
    expect(byId.get('gather_block_quantized-00005')).toMatchObject({ verdict: 'fail', detail: 'output y: shape differs: expected [4,2,0], got [5,2,0]' });
    expect(report.results.every((x) => x.verdict === 'fail')).toBe(true);
    expect(junit).toContain('shape differs');
    expect(html).toContain('shape differs');
  });
});
