/**
 * quantized_add@1 on real torch 1.13 along every x86 CPU path, as a user runs it: `qconform run --backend torch-onednn
 * --vectors vectors/torch-1.13-add` natively (torch 1.13 picks AVX2 on AVX2 and AVX-512 hosts), under
 * `--cpu haswell` (AVX2) and under `--cpu nehalem` (no AVX: ATen's DEFAULT capability, every element the scalar form).
 * Each run claims exactly the 200 cases of the capability its torch process reports and passes them; the other 400
 * are outside its claims. Live where torch (and, for the emulated CPUs, qemu-x86_64-static) is installed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuAvailability, cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { runQconform } from '../support/cli_process.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-torch-add-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PATHS = [
  { cpu: 'haswell', capability: 'avx2' },
  { cpu: 'nehalem', capability: 'default' },
] as const;

describe('torch 1.13 quantized::add on every x86 CPU path', () => {
  for (const { cpu, capability } of PATHS) {
    it.runIf(torchAvailable() && cpuAvailability(cpuModel(cpu)).available)(`--cpu ${cpu}: torch runs ATen ${capability} and passes its 200 cases`, { timeout: 300_000 }, async () => {
      const report = join(tmp, `${cpu}.json`);
      const r = await runQconform(['run', '--backend', 'torch-onednn', '--cpu', cpu, '--vectors', 'vectors/torch-1.13-add', '--report', report]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(json.counts).toMatchObject({ pass: 200 });
      const ids: string[] = json.results.map((x: { id: string }) => x.id);
      expect(ids.every((id) => id.startsWith(`quantized_add_${capability}-`)), ids.slice(0, 3).join(', ')).toBe(true);
    });
  }
});
