import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { resolveBackend } from '../../conformance/backends/resolve_backend.js';
import { PROJECT_ROOT } from '../support/runner_fixtures.js';
import { runQconform } from '../support/cli_process.js';

/**
 * A built-in's waiver file serves every CPU it runs on: torch-onednn's waiver of quantized_conv2d-00815 (a case of
 * the host's vectors/torch-1.13) is no "names no case" warning on --cpu haswell, whose set lacks the case; a misspelt
 * id still is. Run with torch made unavailable (exit 3): the waivers are judged and the report written all the same.
 */
const tmp = mkdtempSync(join(tmpdir(), 'qconform-waivers-cpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NO_TORCH = { QCONFORM_TORCH_PYTHON: '/nonexistent/python3' };
const ONEDNN_WAIVERS = join(PROJECT_ROOT, 'conformance/backends/torch/torch-onednn.waivers.txt');

/** `qconform run --backend torch-onednn --cpu haswell` on one case of its haswell set: its stderr and the report's unmatched ids. */
async function judging(extra: string[], name: string): Promise<{ stderr: string; unmatched: string[] }> {
  const report = join(tmp, `${name}.json`);
  const r = await runQconform(['run', '--backend', 'torch-onednn', '--cpu', 'haswell', '--case', 'quantized_conv2d-00000', '--report', report, ...extra], NO_TORCH);
  expect(r.exitCode, r.stderr).toBe(3);
  return { stderr: r.stderr, unmatched: JSON.parse(readFileSync(report, 'utf8')).run_info.judging.waivers.unmatched_ids };
}

describe("a built-in's waivers on another CPU", () => {
  it("are judged against the backend's sets on every CPU it runs on", () => {
    const sets = (cpu: string) => resolveBackend('torch-onednn', cpuModel(cpu)).waiverVectors?.map((d) => d.slice(d.lastIndexOf('/') + 1));
    expect(sets('haswell')).toEqual(['torch-1.13', 'torch-1.13-linear', 'torch-1.13-add', 'torch-1.13-pool', 'torch-1.13-cat', 'torch-1.13-avg-pool', 'torch-1.13-qnnpack-add', 'torch-1.13-qnnpack-avg-pool', 'torch-1.13-xnnpack-add', 'torch-1.13-hardswish', 'torch-1.13-hardsigmoid', 'torch-1.13-mul', 'torch-1.13-qnnpack-hardswish', 'torch-1.13-qnnpack-hardsigmoid', 'torch-1.13-mean', 'torch-1.13-qnnpack-mean', 'torch-1.13-onednn-haswell']);
    expect(sets('host')).toEqual(sets('haswell'));
    expect(readFileSync(ONEDNN_WAIVERS, 'utf8')).toMatch(/^quantized_conv2d-00815 /m);
  });

  it("torch-onednn --cpu haswell: its file's waiver of a host case names a case; a misspelt id still warns", async () => {
    const misspelt = join(tmp, 'misspelt.waivers.txt');
    writeFileSync(misspelt, `${readFileSync(ONEDNN_WAIVERS, 'utf8')}quantized_conv2d-0815 a misspelt id\n`);
    const r = await judging(['--waivers', misspelt], 'misspelt');
    // before, this said 2 waived ids, quantized_conv2d-00815 first; without --waivers it said 1 (the docs-as-written run)
    expect(r.stderr).toContain(`warning: waiver file ${misspelt}: 1 waived id names no case of the loaded vector sets (a misspelt id waives nothing; run_info.judging.waivers.unmatched_ids): quantized_conv2d-0815\n`);
    expect(r.unmatched).toEqual(['quantized_conv2d-0815']);
  });
});
