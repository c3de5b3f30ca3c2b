/**
 * `qconform explain` runs ShuffleNetV2's blocks as torch does: `if self.stride == 1:` resolved per block, the
 * `x.chunk(2, dim=1)` parts and the channel shuffle moved on the integers (channel_gather_step.ts; the shuffle function
 * measured on torch when the model is read, conformance/backends/torch/python/channel_ops.py), and the block's
 * QFunctional.cat of a contiguous chunk and a conv's channels_last output on torch's path (quantized_cat_step.ts
 * catRequestFormat). A small ShuffleNetV2 built after torchvision's quantizable one, converted in eager mode and run step
 * by step by real torch 1.13 on the onednn engine (tests/fixtures/explain/shufflenet_block_build.py): every chunk,
 * concatenation, shuffle and the head equal torch's, on a 32x32 input (the generic cat path) and an 8x8 one (1x1
 * pixels: the NHWC kernel), and so do the global mean (quantized_mean@1: the float path on 4x4 pixels; on 1x1 torch
 * refuses it, and so does explain) and the linear classifier after it; a function that permutes channels otherwise is
 * not carried. The same net converted for the qnnpack engine: its quint8 mean over [2, 3] is QNNPACK's global average
 * pool (qnnpack_mean@1), which torch runs on 1x1 pixels too; the head, the mean and the classifier equal torch's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelGatherReport } from '../../conformance/explain/channel_gather_step.js';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { QuantizedCatReport } from '../../conformance/explain/quantized_cat_step.js';
import type { QuantizedMeanReport } from '../../conformance/explain/quantized_mean_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-shufflenet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type TorchSteps = Record<string, number[] | boolean>;
// explain's channel moves in forward order, and the torch step each is
const GATHERS = ['0.shuffle', '1.chunk0', '1.chunk1', '1.shuffle', '2.chunk0', '2.chunk1', '2.shuffle'] as const;

describe.runIf(torchAvailable())('explain on a ShuffleNetV2 stage on the onednn engine, against torch', () => {
  let torch: Record<'x' | 'x_small', TorchSteps> & { qnnpack: Record<'x' | 'x_small', TorchSteps> };
  beforeAll(() => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'shufflenet_block_build.py'), dir], { encoding: 'utf8', timeout: 240_000 });
    expect(built.status, built.stderr).toBe(0);
    torch = JSON.parse(built.stdout) as typeof torch;
  }, 300_000);

  for (const [input, path] of [['x', 'generic'], ['x_small', 'nhwc']] as const) {
    it(`carries the chunks, the shuffles and the concatenations on the integers, and gives torch's (${input}: the stride-1 blocks' cats take the ${path} path)`, () => {
      const outputs = new Map<string, IntTensor>();
      const r = explainModel(readTorchModel(join(dir, 'Net.pt'), undefined, 'onednn'), readInputTensor(join(dir, `${input}.npy`)), { seed: '1', outputs });
      // on 1x1 pixels torch refuses the mean of the head's channels_last output (no keepdim): explain lists that refusal
      const notModelled = r.steps.filter((s) => s.kind === 'not_modelled');
      if (input === 'x') expect(notModelled).toEqual([]);
      else expect(notModelled.map((s) => [s.opType, s.reason])).toEqual([['aten::mean', expect.stringMatching(/torch refuses it .*required rank 4 tensor to use channels_last format/)]]);
      const gathers = r.steps.filter((s): s is ChannelGatherReport => s.kind === 'channel_gather');
      expect(gathers.map((s) => [s.gather.kind, s.idle ?? false])).toEqual(GATHERS.map((g) => [g.endsWith('shuffle') ? 'channel_shuffle' : 'chunk', false]));
      // the second chunk reads the shuffle's output, not the first chunk's: another branch of the forward
      expect(gathers.map((s) => s.otherBranch !== undefined)).toEqual(GATHERS.map((g) => g.endsWith('chunk1')));
      const t = torch[input];
      GATHERS.forEach((g, k) => expect(Array.from(outputs.get(gathers[k]!.name)!.data), g).toEqual(t[g]));
      const cats = r.steps.filter((s): s is QuantizedCatReport => s.kind === 'quantized_cat');
      expect(cats.map((s) => s.name)).toEqual(['stage.0.cat', 'stage.1.cat', 'stage.2.cat']);
      cats.forEach((s, k) => {
        expect(Array.from(outputs.get(s.name)!.data), s.name).toEqual(t[`${k}.cat`]);
        // the path explain names is the one torch's is_cat_nhwc_fast_path takes on these tensors
        expect(s.path === 'nhwc', s.name).toBe(t[`${k}.nhwc`]);
      });
      // a stride-1 block concatenates a contiguous chunk and a conv's channels_last output
      expect(cats[1]!.inputFormats).toEqual(['contiguous', 'channels_last']);
      expect(cats.slice(1).map((s) => s.path)).toEqual([path, path]);
      expect(Array.from(outputs.get('head')!.data)).toEqual(t.head);
      // the global mean of the head conv's channels_last output takes the float path (32x32: 4x4 pixels), and the
      // classifier reads its integers; torch refuses it on 1x1 pixels (8x8)
      if (input === 'x') {
        const mean = r.steps.find((s): s is QuantizedMeanReport => s.kind === 'quantized_mean');
        expect(mean?.ran?.path).toBe('float');
        expect(Array.from(outputs.get(mean!.name)!.data)).toEqual(t.mean);
        expect(Array.from(outputs.get('fc')!.data)).toEqual(t.fc);
        expect(new Set(t.fc as number[]).size).toBeGreaterThan(3);
      } else expect(t.mean_error).toMatch(/required rank 4 tensor to use channels_last format/);
      // not vacuous: the shuffle moved channels, and the tensors take many values
      expect(t['0.shuffle']).not.toEqual(t['0.cat']);
      expect(new Set(t['2.shuffle'] as number[]).size).toBeGreaterThan(input === 'x' ? 30 : 5);
    }, 120_000);
  }

  for (const input of ['x', 'x_small'] as const) {
    it(`runs the qnnpack engine's mean as QNNPACK's global average pool, and gives torch's head, mean and classifier (${input})`, () => {
      const outputs = new Map<string, IntTensor>();
      const r = explainModel(readTorchModel(join(dir, 'NetQ.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, `${input}.npy`)), { seed: '1', outputs });
      expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
      const t = torch.qnnpack[input];
      expect(Array.from(outputs.get('head')!.data)).toEqual(t.head);
      const mean = r.steps.find((s): s is QuantizedMeanReport => s.kind === 'quantized_mean');
      expect(mean?.ran?.path).toBe('qnnpack');
      // ATen's kernels (the other engines, or x.mean([-2, -1])) refuse the head's channels_last output on 1x1 pixels
      if (input === 'x_small') expect(mean?.ran?.atenDiffering).toBe('refused');
      else expect(typeof mean?.ran?.atenDiffering).toBe('number');
      expect(Array.from(outputs.get(mean!.name)!.data)).toEqual(t.mean);
      expect(Array.from(outputs.get('fc')!.data)).toEqual(t.fc);
      // not vacuous: the mean takes many values, and so does the classifier
      expect(new Set(t.mean as number[]).size).toBeGreaterThan(10);
      expect(new Set(t.fc as number[]).size).toBeGreaterThan(3);
    }, 120_000);
  }

  it('does not carry a function that permutes channels otherwise than a channel shuffle by its argument', () => {
    const r = explainModel(readTorchModel(join(dir, 'Odd.pt'), undefined, 'onednn'), readInputTensor(join(dir, 'x.npy')), { seed: '1' });
    const odd = r.steps.find((s) => s.kind === 'not_modelled' && s.opType.endsWith('odd_shuffle'));
    expect(odd).toBeDefined();
    expect(r.steps.some((s) => s.kind === 'channel_gather' && s.gather.kind === 'channel_shuffle')).toBe(false);
  }, 120_000);
});
