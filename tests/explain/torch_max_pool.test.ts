/**
 * `qconform explain`'s torch MaxPool2d against real torch 1.13 (/usr/bin/python3): ceil_mode True, which explain
 * listed as not modelled (the chain stopped there and the next layer ran on generated data), now runs as torch does:
 * its windows are ORT's, and a window over padding only (dilation 3, padding kernel // 2 on a 2-row image) gives the
 * type's lowest value, as torch's native quantized kernel gives (conformance/explain/torch_max_pool.ts). A padding
 * above kernel // 2 and an output size below 1 are refused with torch's own message (explain used to run the first
 * with ORT's wider rule, and listed the second as not modelled). quint8 in floor mode runs QNNPACK's max pool, where
 * explain ran the native kernel's windows: with dilation and padding its integers differ, and its refusals (a 1x1
 * kernel too) have their own messages. A Quantize stub's [1, 4, 1, 1] padded by the native kernel comes out of torch
 * with its channels mixed: listed as not modelled on generated data; an --input file (or --shape) that reaches it
 * before any layer is refused (explain_run.ts), as it ran the next layer on generated data instead. Models built and run here by real torch, engine qnnpack; each
 * output compared element by element. The onednn engine runs every pool through the native kernel (QNNPACK's only under
 * qnnpack): explain ran QNNPACK's windows whatever the engine torch loads the model on; it now runs the pool as that
 * engine does (--engine, else torch's default), and the same models converted and run on onednn give its integers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-max-pool-'));

/** Per model: torch's pooled integers and the next conv's (NCHW, flattened) on x.npy, or the message torch refused it with. */
type TorchRun = { pool: number[]; conv2: number[] } | { error: string };
let runs: Record<string, TorchRun>;
/** The same models converted and run on the onednn engine. */
let onednnRuns: Record<string, TorchRun>;

function build(): void {
  const py = `
import copy, json, numpy as np, torch, torch.nn as nn
torch.manual_seed(7); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
POOLS = {
    'ceil': dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    'padding_only': dict(kernel_size=2, stride=1, padding=1, dilation=3, ceil_mode=True),
    'wide_padding': dict(kernel_size=3, stride=1, padding=2, ceil_mode=True),
    'too_small': dict(kernel_size=5, stride=1, ceil_mode=True),
    'floor_dilated': dict(kernel_size=2, stride=1, padding=1, dilation=2),
    'floor_strided': dict(kernel_size=3, stride=2, padding=1, dilation=3),
    'floor_wide_padding': dict(kernel_size=(3, 5), stride=1, padding=(1, 3)),
    'floor_too_small': dict(kernel_size=5, stride=1),
    'floor_kernel_1': dict(kernel_size=1),
    'stub_1x1': dict(kernel_size=2, stride=1, padding=1, ceil_mode=True),
}
SHAPES = {'ceil': (1, 3, 8, 8), 'padding_only': (1, 3, 4, 9), 'wide_padding': (1, 3, 8, 8), 'too_small': (1, 3, 4, 9),
          'floor_dilated': (2, 3, 9, 11), 'floor_strided': (1, 3, 10, 9), 'floor_wide_padding': (1, 3, 8, 8),
          'floor_too_small': (1, 3, 4, 9), 'floor_kernel_1': (1, 3, 8, 8), 'stub_1x1': (1, 4, 1, 1)}
class M(nn.Module):
    def __init__(self, pool, stub_only):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = nn.Identity() if stub_only else nn.Conv2d(3, 4, 3); self.pool = nn.MaxPool2d(**pool); self.conv2 = nn.Conv2d(4, 5, 1); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.conv2(self.pool(self.conv1(self.quant(x)))))
runs = {}
onednn_runs = {}
def run(c, x, pool):
    c.pool = nn.MaxPool2d(**pool)
    seen = {}
    c.pool.register_forward_hook(lambda mod, i, o: seen.__setitem__('pool', o.int_repr().flatten().tolist()))
    c.conv2.register_forward_hook(lambda mod, i, o: seen.__setitem__('conv2', o.int_repr().flatten().tolist()))
    try:
        c(x); return seen
    except RuntimeError as e:
        return {'error': str(e).strip().split('\\n')[0]}
for name, pool in POOLS.items():
    shape = SHAPES[name]
    stub_only = name.startswith('stub')
    m = M(pool, stub_only).eval(); m.qconfig = Q.get_default_qconfig('qnnpack')
    calib = M(dict(kernel_size=1), stub_only).eval(); calib.load_state_dict(m.state_dict()); calib.qconfig = m.qconfig
    p = Q.prepare(calib)
    for _ in range(4): p(torch.randn(*shape))
    c = Q.convert(p); c.pool = nn.MaxPool2d(**pool)
    x = torch.randn(*shape)
    np.save(f'${dir}/{name}.npy', x.numpy().astype(np.float32))
    torch.jit.save(torch.jit.script(c), f'${dir}/{name}.pt')
    runs[name] = run(c, x, pool)
    torch.backends.quantized.engine = 'onednn'
    onednn_runs[name] = run(Q.convert(copy.deepcopy(p)), x, pool)
    torch.backends.quantized.engine = 'qnnpack'
json.dump(runs, open('${dir}/runs.json', 'w'))
json.dump(onednn_runs, open('${dir}/onednn_runs.json', 'w'))`;
  writeFileSync(join(dir, 'build.py'), py);
  const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 120_000 });
  expect(built.status, built.stderr).toBe(0);
  runs = JSON.parse(readFileSync(join(dir, 'runs.json'), 'utf8')) as Record<string, TorchRun>;
  onednnRuns = JSON.parse(readFileSync(join(dir, 'onednn_runs.json'), 'utf8')) as Record<string, TorchRun>;
}

/** explain's run of model `name` on its x.npy, with each step's output, loaded on `engine` (runs: torch on qnnpack). */
function explainRun(name: string, engine = 'qnnpack'): { r: ReturnType<typeof explainModel>; outputs: Map<string, IntTensor> } {
  const outputs = new Map<string, IntTensor>();
  return { r: explainModel(readTorchModel(join(dir, `${name}.pt`), undefined, engine), readInputTensor(join(dir, `${name}.npy`)), { seed: '1', outputs }), outputs };
}

/** explain's integers for the pool and conv2 of model `name` on its x.npy. */
function explained(name: string, engine = 'qnnpack'): { pool: number[]; conv2: number[] } {
  const { r, outputs } = explainRun(name, engine);
  expect(r.steps.map((s) => `${s.kind} ${s.name}`)).toEqual(['conv2d conv1', 'maxpool2d pool', 'conv2d conv2']);
  expect(r.steps.find((s) => s.name === 'conv2')).toMatchObject({ inputOrigin: 'chain' });
  return { pool: Array.from(outputs.get('pool')!.data), conv2: Array.from(outputs.get('conv2')!.data) };
}

describe('explain runs a torch MaxPool2d with ceil_mode as torch 1.13 does', () => {
  beforeAll(build, 180_000);

  it('ceil_mode True, 3x3 stride 2 padding 1 on 6x6 (4x4 pooled, 3x3 in floor mode): the pool and the next conv are torch\'s', () => {
    const torch = runs.ceil as { pool: number[]; conv2: number[] };
    expect(torch.pool, 'torch ran the model').toHaveLength(4 * 4 * 4);
    const run = explained('ceil');
    expect(run.pool, 'seed 7, model ceil: explain\'s pooled integers vs torch').toEqual(torch.pool);
    expect(run.conv2, 'seed 7, model ceil: explain\'s conv2 vs torch').toEqual(torch.conv2);
    expect(new Set(run.conv2).size).toBeGreaterThan(10);
  }, 120_000);

  it('windows over padding only (dilation 3, padding 1 on 2 rows) give quint8 0, torch\'s value', () => {
    const torch = runs.padding_only as { pool: number[]; conv2: number[] };
    expect(torch.pool, 'every window covers padding only: one pooled row').toEqual(new Array(4 * 1 * 6).fill(0));
    const run = explained('padding_only');
    expect(run.pool).toEqual(torch.pool);
    expect(run.conv2, 'seed 7, model padding_only: explain\'s conv2 vs torch').toEqual(torch.conv2);
  }, 120_000);

  it.each([
    ['wide_padding', 'MaxPool2d pool: padding (2, 2) with kernel_size (3, 3): torch 1.13 refuses it ("padding should be smaller than half of kernel_size.")'],
    ['too_small', 'MaxPool2d pool: torch 1.13 refuses its input [1, 4, 2, 7] ("Given input size: (4x2x7). Calculated output size: (4x-2x3). Output size is too small.")'],
    // quint8 in floor mode: QNNPACK's path, with its own messages
    ['floor_wide_padding', 'MaxPool2d pool: padding (1, 3) with kernel_size (3, 5): torch 1.13 refuses it ("pad should be at most half of kernel size, but got pad=3 and kernel_size=5")'],
    ['floor_too_small', 'MaxPool2d pool: torch 1.13 refuses its input [1, 4, 2, 7] ("qnnpack_maxpool2d(): the resulting output Tensor size should be >= 0")'],
  ])('%s: refused with the message torch gives', (name, message) => {
    const torch = runs[name] as { error: string };
    expect(message, 'explain quotes torch\'s own message').toContain(`("${torch.error}")`);
    expect(() => explained(name)).toThrow(`${join(dir, `${name}.pt`)}: ${message}`);
  }, 120_000);

  it.each([
    ['floor_dilated', 'kernel 2, padding 1, dilation 2, two images of 7x9'],
    ['floor_strided', 'kernel 3, stride 2, padding 1, dilation 3 on 8x7'],
  ])('%s (%s): quint8 in floor mode runs QNNPACK\'s max pool (taps clamped into the image), and explain gives its integers', (name) => {
    const torch = runs[name] as { pool: number[]; conv2: number[] };
    const run = explained(name);
    expect(run.pool, `seed 7, model ${name}: explain's pooled integers vs torch (QNNPACK)`).toEqual(torch.pool);
    expect(run.conv2, `seed 7, model ${name}: explain's conv2 vs torch`).toEqual(torch.conv2);
  }, 120_000);

  it('floor_kernel_1: a 1x1 kernel on quint8 in floor mode is refused, as QNNPACK refuses it', () => {
    const torch = runs.floor_kernel_1 as { error: string };
    expect(torch.error).toContain('failed to create QNNPACK MaxPool operator');
    expect(() => explained('floor_kernel_1')).toThrow('MaxPool2d pool: kernel_size (1, 1) on quint8 in floor mode: torch 1.13\'s QNNPACK max pool refuses it ("1x1 pooling is meaningless"; torch raises "failed to create QNNPACK MaxPool operator")');
  }, 120_000);

  it('stub_1x1: a Quantize stub\'s [1, 4, 1, 1] pooled with padding (native kernel) comes out of torch with its channels mixed: the --input file or --shape is refused, generated data lists the pool as not modelled', () => {
    const torch = runs.stub_1x1 as { pool: number[]; conv2: number[] };
    const q = torch.pool;
    // torch's [1, 4, 2, 2] holds the 4 channels' values in NHWC order: each group of 4 is the 4 channels
    expect([q.slice(0, 4), q.slice(4, 8), q.slice(8, 12)], 'torch mixes the channels').toEqual([q.slice(12, 16), q.slice(12, 16), q.slice(12, 16)]);
    expect(new Set(q.slice(0, 4)).size, 'the 4 channels differ (else nothing would show)').toBeGreaterThan(1);
    // the user's input reaches the pool before any layer: explain cannot run it through the model (it ran conv2 on generated data before)
    const model = join(dir, 'stub_1x1.pt');
    const why = 'it reaches pool, a MaxPool2d explain does not model (on a [1, 4, 1, 1] input its 2x2 output is not modelled: torch 1.13\'s native quantized max_pool2d writes an NHWC result';
    const hint = 'before any layer it models; explain runs such a model on generated data only (leave out --input and --shape)';
    expect(() => explainRun('stub_1x1')).toThrow(`${join(dir, 'stub_1x1.npy')}: the model does not take this input: ${why}`);
    expect(() => explainRun('stub_1x1')).toThrow(hint);
    expect(() => explainModel(readTorchModel(model, undefined, 'qnnpack'), generatedInput([1, 4, 1, 1], '1'), { seed: '1', shapeGiven: true })).toThrow(`--shape: the model does not take this input: ${why}`);
    expect(explainCommand(model, { seed: '1', shape: '1,4,1,1', engine: 'qnnpack' }), 'replay: npx tsx conformance/cli/main.ts explain stub_1x1.pt --shape 1,4,1,1 --engine qnnpack').toBe(2);
    // generated data of that shape (no --shape, no --input: e.g. a declared input shape) is listed as before
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(model, undefined, 'qnnpack'), generatedInput([1, 4, 1, 1], '1'), { seed: '1', outputs });
    expect(r.steps[0]).toMatchObject({ kind: 'not_modelled', name: 'pool', opType: 'MaxPool2d' });
    expect((r.steps[0] as { reason: string }).reason).toContain('channels mixed when the input is NCHW-contiguous');
    expect(outputs.has('pool')).toBe(false);
    expect(r.steps[1]).toMatchObject({ kind: 'conv2d', name: 'conv2', inputOrigin: 'generated' });
  }, 120_000);

  it.each([
    ['floor_dilated', 'kernel 2, padding 1, dilation 2'],
    ['floor_strided', 'kernel 3, stride 2, padding 1, dilation 3'],
    ['floor_kernel_1', 'a 1x1 kernel, which QNNPACK refuses'],
    ['ceil', 'ceil_mode True'],
  ])('onednn engine, %s (%s): the native kernel pools it, and explain loaded on onednn gives torch\'s onednn integers', (name) => {
    const torch = onednnRuns[name] as { pool: number[]; conv2: number[] };
    expect(torch.pool, `torch ran ${name} on onednn`).toBeDefined();
    const run = explained(name, 'onednn');
    expect(run.pool, `seed 7, model ${name}, engine onednn: explain's pooled integers vs torch`).toEqual(torch.pool);
    expect(run.conv2, `seed 7, model ${name}, engine onednn: explain's conv2 vs torch`).toEqual(torch.conv2);
  }, 120_000);

  it('onednn engine, floor_wide_padding: refused with the native kernel\'s message, which torch gives there', () => {
    const torch = onednnRuns.floor_wide_padding as { error: string };
    expect(torch.error).toBe('padding should be smaller than half of kernel_size.');
    expect(() => explained('floor_wide_padding', 'onednn')).toThrow(`MaxPool2d pool: padding (1, 3) with kernel_size (3, 5): torch 1.13 refuses it ("${torch.error}")`);
  }, 120_000);
});
