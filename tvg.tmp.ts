import { readTorchModel } from './conformance/explain/torch_model.js';
const m = readTorchModel(`/tmp/qa/tv/googlenet.pt`);
for (const s of m.steps as any[]) if (s.name.includes('inception3a') || s.name.startsWith('maxpool2')) console.log(s.kind, s.name, s.opType ?? '', (s.reason ?? '').slice(0, 150));
