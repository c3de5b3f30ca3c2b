/**
 * Eval throughput (issue 15): elements per second that `qconform eval --backend impl` (the real CLI process)
 * answers for quantize_per_tensor@1 requests of 1,000 float32 elements, in the JSON encoding and in the compact
 * `base64le` one (docs/protocol.md), timed from the first request byte written (after the handshake) to the
 * last response line read, JIT warm-up included. Every response is checked to be an answer, not an error.
 * evalThroughputRuns repeats it in fresh processes and reports the median, the range and the machine's load
 * (the rate is wall-clock time on a machine that may be shared).
 */
import { loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { f32Tensor } from '../../contract/tensor.js';
import { type WireEncoding, encodeTensor } from '../../contract/wire.js';
import { CaseRandom } from '../../conformance/cases/random.js';

const ELEMENTS = 1000;

function requestLines(count: number, encoding: WireEncoding): string {
  const r = new CaseRandom('bench-eval');
  const lines: string[] = [];
  for (let k = 0; k < Math.min(count, 64); k++) {
    const x = f32Tensor([ELEMENTS], Array.from({ length: ELEMENTS }, () => Math.fround(r.normal() * 3)));
    lines.push(JSON.stringify({ id: `q${k}`, op: 'quantize_per_tensor@1', ...(encoding === 'json' ? {} : { encoding }), attrs: { scale: '3f9810624dd2f1aa', zero_point: 128, dtype: 'quint8' }, inputs: { x: encodeTensor(x, encoding) } }));
  }
  return Array.from({ length: count }, (_, k) => lines[k % lines.length]).join('\n') + '\n';
}

/** Elements per second for `requests` requests in `encoding` through a fresh `qconform eval` process. */
export async function evalThroughput(root: string, encoding: WireEncoding, requests: number): Promise<number> {
  const input = Buffer.from(requestLines(requests, encoding));
  const child = spawn(process.execPath, [join(root, 'bin/qconform.mjs'), 'eval', '--backend', 'impl'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let lines = -1; // the handshake comes first
  let t0 = 0;
  let errors = 0;
  let tail = '';
  const done = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      const parts = text.split('\n');
      tail = parts.pop()!;
      for (const p of parts) {
        if (lines >= 0 && p.includes('"error"')) errors++;
        lines++;
        if (lines === 0) {
          t0 = performance.now();
          child.stdin.end(input);
        }
      }
      if (lines === requests) {
        const seconds = (performance.now() - t0) / 1000;
        child.kill();
        if (errors) reject(new Error(`${errors} error responses`));
        else resolve((requests * ELEMENTS) / seconds);
      }
    });
    child.on('exit', () => lines < requests && reject(new Error(`eval exited after ${lines} responses`)));
  });
  return done;
}

export interface ThroughputRuns {
  /** elements per second of each run, in run order */
  readonly rates: number[];
  readonly median: number;
  /** the 1-minute load average before the first run and after the last */
  readonly load: readonly [number, number];
}

/** evalThroughput `runs` times (fresh processes), with the median and the load around them. */
export async function evalThroughputRuns(root: string, encoding: WireEncoding, requests: number, runs = 3): Promise<ThroughputRuns> {
  const before = loadavg()[0]!;
  const rates: number[] = [];
  for (let k = 0; k < runs; k++) rates.push(await evalThroughput(root, encoding, requests));
  const sorted = [...rates].sort((a, b) => a - b);
  return { rates, median: sorted[Math.floor(sorted.length / 2)]!, load: [before, loadavg()[0]!] };
}
