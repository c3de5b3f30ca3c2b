import { readFileSync } from 'node:fs';
import { explainModel } from './conformance/explain/explain_run.js';
import { readInputTensor } from './conformance/explain/input_tensor.js';
import { readTorchModel } from './conformance/explain/torch_model.js';
const torch = JSON.parse(readFileSync('/tmp/qa/tv/torch_more.json', 'utf8'));
for (const name of process.argv.slice(2)) {
  const outputs = new Map<string, any>();
  const t0 = Date.now();
  const r = explainModel(readTorchModel(`/tmp/qa/tv/${name}.pt`), readInputTensor(`/tmp/qa/tv/x_${name}.npy`), { seed: '1', outputs });
  const nm = r.steps.filter((s: any) => s.kind === 'not_modelled');
  const gen = r.steps.filter((s: any) => s.kind === 'conv2d' && s.inputOrigin !== 'chain');
  const cats = r.steps.filter((s: any) => s.kind === 'quantized_cat');
  const fc = Array.from(outputs.get('fc')?.data ?? []);
  console.log(name, 'steps', r.steps.length, 'not modelled', nm.length, nm.slice(0, 40).map((s: any) => `${s.name}: ${s.reason.slice(0, 200)}`), 'generated', gen.length, 'cats', cats.length, 'fc equal', JSON.stringify(fc) === JSON.stringify(torch[name]), fc.length, `${(Date.now() - t0) / 1000}s`);
  if (cats[0]) console.log(JSON.stringify(cats[0]).slice(0, 600));
}
