import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { resolveBackend } from '../../conformance/backends/resolve_backend.js';
import { BUILTIN_BACKENDS } from '../../conformance/backends/registry.js';
import { LINEAR_OP_NAMES } from '../../contract/linear.js';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { ONNX_TESTDATA_VECTORS_DIR, ORT_OPS_VECTORS_DIR, VectorFileError } from '../../conformance/vectors/vector_set.js';
import { runQconform } from '../support/cli_process.js';

/**
 * A run over several vector sets: a built-in's default sets (every op it claims), `--vectors` given more than once,
 * each case naming its set in the reports, and a case id in two of the sets refused.
 */
const tmp = mkdtempSync(join(tmpdir(), 'qconform-sets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const opsOf = (sources: readonly string[]) => new Set(selectCases(sources).cases.map((s) => s.case.op));

describe('vector sets of a run', () => {
  it("onnxruntime's default sets hold every op it claims, on the host and on haswell", () => {
    for (const cpu of ['host', 'haswell', 'nehalem']) {
      const sets = resolveBackend('onnxruntime', cpuModel(cpu)).defaultVectors;
      expect([...opsOf(sets)].sort(), cpu).toEqual(Object.keys(ORT_OPS).sort());
    }
  });

  it("every built-in's default sets are distinct (a set listed twice would repeat every id), and a run finds each", () => {
    let sets = 0;
    for (const b of BUILTIN_BACKENDS) {
      const dirs = [b.defaultVectors ?? []].flat();
      expect(new Set(dirs).size, b.name).toBe(dirs.length);
      for (const dir of dirs) expect(existsSync(join(dir, 'manifest.json')), `${b.name}: ${dir}`).toBe(true);
      sets += dirs.length;
    }
    expect(sets).toBeGreaterThan(20);
  });

  it("the torch built-ins' default sets hold the linear ops beside torch-1.13's", () => {
    const ops = opsOf(resolveBackend('torch-qnnpack').defaultVectors);
    for (const op of [...LINEAR_OP_NAMES, 'quantized_conv2d@1', 'quantize_per_tensor@1']) expect(ops).toContain(op);
  });

  it('selects several sets in order, each case naming its set', () => {
    const s = selectCases([ORT_OPS_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR], { ops: ['qlinear_matmul'] });
    expect(s.sets.map((x) => x.name)).toEqual(['onnxruntime-1.30-ops', 'onnx-testdata-1.12']);
    expect(s.manifestSha256).toBeNull();
    expect(s.sets.every((x) => /^[0-9a-f]{64}$/.test(x.manifestSha256 ?? ''))).toBe(true);
    const names = s.cases.map((c) => c.set);
    expect(names.filter((n) => n === 'onnxruntime-1.30-ops').length).toBe(400);
    expect(names.slice(400)).toEqual(['onnx-testdata-1.12', 'onnx-testdata-1.12']);
    for (const c of s.cases) expect(basename(c.file.replace(/\/[^/]+$/, ''))).toBe(c.set);
  });

  it('refuses a case id found in two of the sets', () => {
    expect(() => selectCases([ONNX_TESTDATA_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR])).toThrow(VectorFileError);
    expect(() => selectCases([ONNX_TESTDATA_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR])).toThrow(/duplicate-id: case onnx_\w+-00000 is also in .*onnx-testdata-1\.12\//);
    expect(() => selectCases([])).toThrow(/no vector set given/);
  });

  it('runs --vectors given twice: a row per set and op, every result and the run info naming the sets', async () => {
    const report = join(tmp, 'report.json');
    const junit = join(tmp, 'junit.xml');
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', ORT_OPS_VECTORS_DIR, '--vectors', ONNX_TESTDATA_VECTORS_DIR, '--op', 'matmul_integer', '--report', report, '--junit', junit]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^set\s+op\s+onnxruntime@1$/m);
    expect(r.stdout).toMatch(/^onnxruntime-1\.30-ops\s+matmul_integer@1\s+300\/300$/m);
    expect(r.stdout).toMatch(/^onnx-testdata-1\.12\s+matmul_integer@1\s+1\/1$/m);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.run_info.vectors.sets.map((x: { name: string }) => x.name)).toEqual(['onnxruntime-1.30-ops', 'onnx-testdata-1.12']);
    expect(json.results).toHaveLength(301);
    expect(json.results.at(-1)).toMatchObject({ id: 'onnx_matmul_integer-00000', set: 'onnx-testdata-1.12', verdict: 'pass' });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="reference: onnxruntime-1.30-ops/matmul_integer@1" tests="300" failures="0"');
    expect(xml).toContain('<testsuite name="reference: onnx-testdata-1.12/matmul_integer@1" tests="1" failures="0"');
  });

  it('exits 2 when two --vectors sets share a case id', async () => {
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', ONNX_TESTDATA_VECTORS_DIR, '--vectors', ONNX_TESTDATA_VECTORS_DIR]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: refused: .*duplicate-id: case onnx_/);
  });
});
