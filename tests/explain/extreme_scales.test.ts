/**
 * `qconform explain` on a QDQ conv whose x_scale or y_scale is 1e-45 (float32's least subnormal, 2^-149): ORT 1.30 loads
 * and runs both models (checked live here), so explain analyses them and shows each scheme that refuses the layer's
 * requantization as refusing it, with its typed reason, instead of crashing. Before, the exact reference's
 * xnnpack-rndnu@1 prepare threw a RangeError (floorLog2Quotient on x_scale's 0 scale, exactValue on y_scale's +inf)
 * through conformance/analysis/requant_pair.ts and explain/requant_summary.ts: a stack trace, exit 1.
 * Replay: npx vitest run tests/explain/extreme_scales.test.ts
 */
import { describe, expect, it } from 'vitest';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { runQconform } from '../support/cli_process.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedOrt } from '../support/installed_ort.js';

/** The base QDQ model with the float32 initializer `name` set to `value`. */
function withScale(name: 'x_scale' | 'y_scale', value: number): Uint8Array {
  const p = qdqParts();
  p.inits.find((i) => i.name === name)!.floatData = [value];
  return qdqModel(p);
}

/** [case, model, the schemes whose requantization refuses it] */
const CASES: ReadonlyArray<readonly [string, Uint8Array, readonly string[]]> = [
  // f32(0.05 * 2^-149 ... ) underflows: the scale is 0 (qnnpack's multiplier is not normal; XNNPACK's per-tensor
  // convolutions take >= 2^-32, rndnu and fp32 alike)
  ['x_scale 1e-45', withScale('x_scale', 1e-45), ['torch-qnnpack@1', 'xnnpack-rndnu@1', 'xnnpack-fp32@1']],
  // f32(f32(0.05 * 0.01) / 2^-149) overflows to +inf
  ['y_scale 1e-45', withScale('y_scale', 1e-45), ['torch-qnnpack@1', 'tflite-double-rounding@1', 'tflite-single-rounding@1', 'tosa-single-round@1', 'tosa-double-round@1', 'xnnpack-rndnu@1', 'xnnpack-fp32@1', 'cmsis-nn@1']],
];

describe('explain on scales at the end of float32', () => {
  it.each(CASES)('%s: ORT 1.30 runs it; explain lists each refusing scheme with its typed reason', async (_, bytes, refusing) => {
    const ort = await installedOrt();
    const session = await ort.InferenceSession.create(bytes);
    const y = await session.run({ x: new ort.Tensor('float32', new Float32Array(192).fill(0.3), [1, 3, 8, 8]) });
    expect(y.y!.dims, 'ORT 1.30 live').toEqual([1, 4, 8, 8]);

    const model = readOnnxModel('m.onnx', bytes);
    const result = explainModel(model, generatedInput(model.inputShape!, '1'), { seed: '1' });
    const layer = result.steps.find((s) => s.kind === 'conv2d') as ConvLayerReport;
    const refused = layer.requantization.filter((r) => r.refused !== null);
    expect(refused.map((r) => r.scheme)).toEqual(refusing);
    const table = consoleTable(result);
    for (const r of refused) {
      expect(r.refused).toBe('unsupported_by_scheme');
      expect(table).toContain(`  refuses    ${r.scheme}: ${r.refusal}`);
      expect(r.refusal).toMatch(/ \[unsupported_by_scheme\]$/);
    }
    expect(table.match(/^ {2}refuses {4}/gm)).toHaveLength(refusing.length);
  });

  it('the CLI prints the analysis and exits 0 (no stack trace)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-extreme-scales-'));
    const path = join(dir, 'y_tiny.onnx');
    writeFileSync(path, CASES[1]![1]);
    const run = await runQconform(['explain', path]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('  refuses    xnnpack-rndnu@1: XNNPACK requantization scale Infinity: f32(f32(x_scale * w_scale) / y_scale) must be < 256');
  }, 120_000);
});
