/**
 * One request run in ORT's own process (ort_server.ts on this host) with the known crashes let through to ORT
 * (RUN_KNOWN_CRASHES_ENV: the backend answers them with the contract's refusal otherwise), for the tests that show a
 * crash qconform refuses: its answer line, or the signal the process died of.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { RUN_KNOWN_CRASHES_ENV } from '../../conformance/backends/onnxruntime/ort_known_crashes.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';

export async function inOrtProcess<A>(request: WireRequest): Promise<{ answer: A | null; signal: NodeJS.Signals | null }> {
  const { command, args } = await ortProcessCommand(HOST_CPU);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, [RUN_KNOWN_CRASHES_ENV]: '1' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.on('error', () => {}); // the process may die before it reads stdin's end
  child.stdin.end(`${JSON.stringify(request)}\n`);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  expect(JSON.parse(lines[0]!).protocol, `the ORT process started: ${out.slice(0, 300)}`).toBe('qconform-eval/1');
  return { answer: lines[1] ? (JSON.parse(lines[1]) as A) : null, signal };
}
