/**
 * ONNX Runtime as a protocol process (docs/protocol.md): the `onnxruntime` built-in under an emulated CPU
 * (`--cpu haswell`) runs this file, bundled to plain JavaScript (ort_process.ts), with node under
 * qemu-x86_64-static, so onnxruntime-node's MLAS dispatches on the emulated CPUID. It answers the ops of
 * onnxruntime_ops.ts exactly as the in-process backend does; claims beyond the scheme come from the parent.
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { WireRequest } from '../../protocol/messages.js';
import { ORT_OPS, ORT_SCHEMES } from './onnxruntime_ops.js';
import { importOrt } from './import_ort.js';

const require = createRequire(import.meta.url);
const version = (require('onnxruntime-node/package.json') as { version: string }).version;
const ort = await importOrt();
const write = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

write({
  protocol: 'qconform-eval/1',
  backend: 'onnxruntime',
  version,
  ops: Object.keys(ORT_OPS),
  capabilities: { schemes: ORT_SCHEMES },
  info: { package: 'onnxruntime-node', version, node: process.version, process: 'ort_server (bundled)' },
});

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() === '') continue;
  let request: WireRequest;
  try {
    request = JSON.parse(line) as WireRequest;
  } catch (e) {
    write({ id: '', error: { code: 'malformed_request', message: `request line is not JSON: ${(e as Error).message}` } });
    continue;
  }
  const runner = ORT_OPS[request.op];
  write(runner ? await runner(ort, request) : { id: request.id, error: { code: 'unknown_op', message: `onnxruntime backend has no runner for ${request.op}` } });
}
