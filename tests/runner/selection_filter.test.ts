/**
 * A --case, --op or --scheme value that selects no case of the loaded vector sets (and an --op value naming no op of the
 * fuzz catalogue under --fuzz) is a usage error, exit 2, before any backend starts, naming every such value and the
 * existing name it most obviously meant. Before, `--case quantize_per_tensor-00001 quantize_per_tensor-0002` ran one
 * case and passed, and `--op quantize_per_tensor dequantize_per_tensr` passed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../conformance/runner/closest_name.js';
import { UnmatchedSelection } from '../../conformance/runner/selection_filter.js';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { runQconform } from '../support/cli_process.js';
import { FAULTY_PROCESS } from '../support/fault_scenario.js';
import { looseTorchVectors } from '../support/runner_fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-selection-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** quantize_per_tensor-00000..00002 and dequantize_per_tensor-00000..00001 (scheme torch-1.13), quantized_conv2d-00000 (torch-qnnpack@1). */
const VECTORS = looseTorchVectors(join(tmp, 'cases.jsonl'), { 'quantize_per_tensor.v1.jsonl': 3, 'dequantize_per_tensor.v1.jsonl': 2, 'quantized_conv2d.v1.jsonl': 1 });

describe('closestName', () => {
  it('edit distance counts insertions, deletions, substitutions and a swap of neighbours as 1 each', () => {
    expect(editDistance('tensor', 'tensor')).toBe(0);
    expect(editDistance('tensr', 'tensor')).toBe(1);
    expect(editDistance('tesnor', 'tensor')).toBe(1);
    expect(editDistance('tensox', 'tensor')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2); // beyond the limit: limit + 1
  });

  it('names the obvious one, and none when two are as near or all are far', () => {
    const ids = ['quantize_per_tensor-00002', 'quantize_per_tensor-00012', 'quantize_per_tensor-00020', 'quantize_per_tensor-00021'];
    expect(closestName('quantize_per_tensor-0002', ids), 'leading zeros set aside').toBe('quantize_per_tensor-00002');
    expect(closestName('Quantize_Per_Tensor-00012', ids), 'letter case set aside').toBe('quantize_per_tensor-00012');
    expect(closestName('dequantize_per_tensr', ['quantize_per_tensor', 'dequantize_per_tensor', 'dequantize_per_channel'])).toBe('dequantize_per_tensor');
    expect(closestName('torch-1.3', ['torch-1.13', 'onnxruntime@1'])).toBe('torch-1.13');
    expect(closestName('ab-1', ['ab-2', 'ab-3']), 'two as near').toBeNull();
    expect(closestName('no_such_op', ['quantize_per_tensor', 'dequantize_per_tensor']), 'far from all').toBeNull();
  });
});

describe('selectCases', () => {
  it('refuses each value that selects nothing, with its closest name, and keeps a value that selects only with the others', () => {
    let thrown: unknown;
    try {
      selectCases(VECTORS, { ops: ['quantize_per_tensor', 'dequantize_per_tensr'], schemes: ['torch-1.3'], ids: ['quantize_per_tensor-00001', 'quantize_per_tensor-0002'] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UnmatchedSelection);
    expect((thrown as UnmatchedSelection).unmatched).toEqual([
      { option: '--op', value: 'dequantize_per_tensr', closest: 'dequantize_per_tensor' },
      { option: '--scheme', value: 'torch-1.3', closest: 'torch-1.13' },
      { option: '--case', value: 'quantize_per_tensor-0002', closest: 'quantize_per_tensor-00002' },
    ]);
    // every value names some case, though no case has them all: not this refusal (the run says "no cases to run")
    expect(selectCases(VECTORS, { ops: ['dequantize_per_tensor'], ids: ['quantize_per_tensor-00001'] }).cases).toEqual([]);
    expect(selectCases(VECTORS, { ops: ['quantize_per_tensor@1'], schemes: ['torch-1.13'], ids: ['quantize_per_tensor-00001'] }).cases).toHaveLength(1);
  });
});

describe('qconform run', () => {
  /** A command backend that records each start in `pids` (none may start). */
  const recordingBackend = (pids: string) => [process.execPath, FAULTY_PROCESS, '--vectors', VECTORS, '--pids', pids].join(' ');

  it('a misspelt --case beside a right one: exit 2 naming it and the case meant, no backend started, no report', async () => {
    const pids = join(tmp, 'case.pids');
    const report = join(tmp, 'case.json');
    const r = await runQconform(['run', '--backend', recordingBackend(pids), '--vectors', VECTORS, '--case', 'quantize_per_tensor-00001', 'quantize_per_tensor-0002', '--report', report]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: --case "quantize_per_tensor-0002" (did you mean "quantize_per_tensor-00002"?) selects nothing: no case of the vector sets loaded (${VECTORS}) matches it\n`);
    expect(existsSync(pids), 'no backend started').toBe(false);
    expect(existsSync(report), 'no report').toBe(false);
  });

  it('misspelt --op and --scheme values: exit 2 naming each', async () => {
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', VECTORS, '--op', 'quantize_per_tensor', 'dequantize_per_tensr', '--scheme', 'torch-1.13', 'torch-1.3']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('error: --op "dequantize_per_tensr" (did you mean "dequantize_per_tensor"?), --scheme "torch-1.3" (did you mean "torch-1.13"?) select nothing');
  });

  it('--fuzz: an --op naming no op of the fuzz catalogue is exit 2 before the backend starts', async () => {
    const pids = join(tmp, 'fuzz.pids');
    const r = await runQconform(['run', '--backend', recordingBackend(pids), '--fuzz', '3', '--seed', '1', '--op', 'quantize_per_tensr', 'no_such_op']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: --op "quantize_per_tensr" \(did you mean "quantize_per_tensor"\?\), --op "no_such_op" select nothing: no op of the fuzz catalogue of .* matches them\n$/);
    expect(existsSync(pids), 'no backend started').toBe(false);
  });

  it('the control: values that each select cases run them (exit 0)', async () => {
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', VECTORS, '--case', 'quantize_per_tensor-00001', 'quantize_per_tensor-00002', '--op', 'quantize_per_tensor@1', '--scheme', 'torch-1.13']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 cases: 2 pass/);
  });
});
