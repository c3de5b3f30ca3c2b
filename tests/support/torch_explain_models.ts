/**
 * Quantized models built, converted and run by real torch 1.13 (/usr/bin/python3) for the `qconform explain` tests
 * that compare explain's integers with torch's, layer by layer. A test's Python body defines its models and calls
 * calibrate_and_run (below) for each: prepared on qnnpack and calibrated on seeded data, saved (observers, input, the
 * TorchScript model converted on qnnpack), then converted and run on each engine with every hooked module's integers
 * recorded. explainBuiltModel runs explain on what was saved.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type ExplainResult, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';

/** One model on one engine: each hooked module's integers (NCHW, flattened), or torch's error when it refused the model. */
export type TorchEngineRun = { readonly layers: Record<string, number[]>; readonly scriptedAgrees: boolean } | { readonly error: string };

/**
 * The Python the body runs after: imports (copy, json, sys, numpy as np, torch, nn, F), explain_ops' observer_state, Q
 * (torch.ao.quantization), DIR, save_result(obj) (to DIR/runs.json), and calibrate_and_run(name, m, hooked, shape):
 * m (eval mode, its qconfig set) prepared on qnnpack, calibrated on 6 batches of 4 of torch.randn (from the torch seed
 * the body set), its observers saved (DIR/name_obs.pt), an input torch.randn(shape) * 4 saved (DIR/name.npy), and per
 * engine (qnnpack, onednn) the converted model run on it: {'layers': {module: integers}, 'scriptedAgrees': the saved
 * DIR/name.pt (scripted from the qnnpack conversion) loaded on that engine gives the same output}, or {'error': the
 * first line of torch's RuntimeError}.
 */
function prelude(dir: string): string {
  return `
import copy, json, sys, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, '${process.cwd()}/conformance/backends/torch/python')
from explain_ops import observer_state
Q = torch.ao.quantization
DIR = '${dir}'
def save_result(obj):
    json.dump(obj, open(f'{DIR}/runs.json', 'w'))
def _module(c, path):
    for part in path.split('.'):
        c = getattr(c, part, None)
    return c
def calibrate_and_run(name, m, hooked, shape=(1, 3, 8, 8)):
    torch.backends.quantized.engine = 'qnnpack'
    p = Q.prepare(m)
    for _ in range(6): p(torch.randn(4, *shape[1:]))
    torch.save(observer_state(p), f'{DIR}/{name}_obs.pt')
    x = torch.randn(*shape) * 4.0
    np.save(f'{DIR}/{name}.npy', x.numpy().astype(np.float32))
    runs = {}
    for engine in ('qnnpack', 'onednn'):
        torch.backends.quantized.engine = engine
        try:
            c = Q.convert(copy.deepcopy(p))
            if engine == 'qnnpack': torch.jit.save(torch.jit.script(c), f'{DIR}/{name}.pt')
            seen = {}
            for layer in hooked:
                if _module(c, layer) is not None:
                    _module(c, layer).register_forward_hook(lambda mod, i, o, layer=layer: seen.__setitem__(layer, o.int_repr().reshape(-1).tolist()))
            final = c(x)
            # the saved model, loaded on this engine, gives the same result (explain reads that file)
            scripted = torch.jit.load(f'{DIR}/{name}.pt')(x)
            runs[engine] = {'layers': seen, 'scriptedAgrees': bool(torch.equal(final, scripted))}
        except RuntimeError as e:
            runs[engine] = {'error': str(e).strip().split('\\n')[0]}
    return runs
`;
}

/**
 * Runs `body` (Python, after the prelude above) on torch 1.13 as dir/build.py (torch.jit.script reads the classes'
 * source from a file) and returns what it saved with save_result.
 */
export function buildTorchModels<T>(dir: string, body: string): T {
  writeFileSync(join(dir, 'build.py'), `${prelude(dir)}\n${body}`);
  const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 180_000 });
  expect(built.status, built.stderr).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'runs.json'), 'utf8')) as T;
}

/** explain's run of model `name` saved in `dir` on its saved input and observers, loaded on `engine` (torch's default when undefined), with each carried step's integers. */
export function explainBuiltModel(dir: string, name: string, engine: string | undefined): { r: ExplainResult; outputs: Map<string, IntTensor> } {
  const outputs = new Map<string, IntTensor>();
  const model = readTorchModel(join(dir, `${name}.pt`), join(dir, `${name}_obs.pt`), engine);
  return { r: explainModel(model, readInputTensor(join(dir, `${name}.npy`)), { seed: '1', outputs }), outputs };
}
