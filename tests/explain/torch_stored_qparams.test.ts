/**
 * One step explain does not carry does not end the analysis of the model: a step that stores its output's qparams (a
 * quantized BatchNorm2d; a QFunctional.cat explain cannot run) gives them to the layer after it, which is analysed on
 * generated data of torch's own qparams (tests/fixtures/explain/stored_qparams_build.py, onednn: an Inception-like join,
 * whose cat explain now runs on the integers: tests/explain/torch_cat.test.ts).
 * Before, every layer after such a step was listed as "input qparams unknown" and not analysed at all.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import type { ConvLayerReport } from '../../conformance/explain/explain_run.js';
import type { ConvLayer } from '../../conformance/explain/model_types.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-stored-qparams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(torchAvailable())('explain after a step it does not carry', () => {
  it("analyses the next layers on generated data of the qparams torch gives them (a cat's, an ELU's)", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'stored_qparams_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(built.stdout) as Record<string, [number, number]>;
    const model = readTorchModel(join(dir, 'Net.pt'));
    const layer = (name: string) => model.steps.find((s): s is ConvLayer => s.kind === 'conv2d' && s.name === name)!;
    // the cat of the two branches is carried; the ELU is not modelled: listed, it does not end the analysis
    expect(model.steps.filter((s) => s.kind === 'not_modelled').map((s) => s.name)).toEqual(['act']);
    expect(model.steps.find((s) => s.name === 'cat')).toMatchObject({ kind: 'quantized_cat', reads: ['a', 'b'], dim: 1 });
    expect([Math.fround(layer('c').x.scale), layer('c').x.zeroPoint]).toEqual([Math.fround(torch.act![0]), torch.act![1]]);
    expect(layer('c').x.dtype).toBe('quint8');
    // the pool keeps the conv's qparams: the linear reads them
    expect([Math.fround(layer('fc').x.scale), layer('fc').x.zeroPoint]).toEqual([Math.fround(torch.c![0]), torch.c![1]]);
    const r = explainModel(model, generatedInput([1, 3, 8, 8], '1'), { seed: '1' });
    expect(r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d').map((s) => [s.name, s.inputOrigin])).toEqual([
      ['a', 'chain'],
      ['b', 'chain'],
      ['c', 'generated'],
      // c's outputs go on through the pool, on the integers, into the linear
      ['fc', 'chain'],
    ]);
    expect(r.steps.find((s) => s.name === 'pool')).toMatchObject({ kind: 'adaptive_avg_pool2d', memoryFormat: 'channels_last', ran: { kernel: 'nhwc' } });
  });
});
