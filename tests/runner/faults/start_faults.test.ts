/**
 * Fault suite, starting the backend: a malformed handshake, a process that exits at once, one that
 * cannot restart after a crash, and one that never writes its handshake (a block-buffered stdout).
 * Every case still gets a verdict and the reports are written; a backend that never started makes the
 * run exit 2, one given up mid-run exit 1; a backend that cannot restart costs at most 3 quick attempts.
 */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../conformance/runner/results.js';
import { BadHandshake, parseHandshake } from '../../../conformance/protocol/handshake.js';
import { SubprocessBackend, handshakeChange } from '../../../conformance/backends/subprocess/subprocess_backend.js';
import { expectJudged, expectNoProcessLeft, FAULTY_PROCESS, faultVectors, runScenario } from '../../support/fault_scenario.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQconform } from '../../support/cli_process.js';
import { looseTorchVectors } from '../../support/runner_fixtures.js';

const all = (verdict: Verdict, detail: RegExp): Record<number, [Verdict, RegExp]> => Object.fromEntries(Array.from({ length: 7 }, (_, i) => [i, [verdict, detail]]));

describe('fault suite: starting the backend', () => {
  for (const [kind, message] of [
    ['dtypes-string', /capabilities.dtypes must be an array of strings, got "quint8"/],
    ['schemes-number', /capabilities.schemes must be an array of strings, got 5/],
    ['not-json', /not JSON: "Hello! I am a backend"/],
    ['long-name', /backend is 1000000 bytes of UTF-8; at most 256/],
    ['huge-info', /info is 100011 bytes of JSON; at most 65536/],
    ['bom', /not JSON \(it starts with a byte-order mark, U\+FEFF: write UTF-8 without one\): "/],
  ] as const) {
    it(`a handshake with ${kind}: every case is error "bad handshake", reports written, exit 2`, async () => {
      const run = await runScenario({ backendArgs: ['--handshake', kind] });
      await expectJudged(run, all('error', new RegExp(`backend did not start: .*bad handshake: ${message.source}`)), 2);
      expect(run.stderr).toMatch(message);
    });
  }

  it('a process that exits before its handshake: every case is crash, reports written, exit 2', async () => {
    const run = await runScenario({ backendArgs: ['--exit-at-once'] });
    await expectJudged(run, all('crash', /backend did not start: .*exited before its handshake \(exit code 1\)/), 2);
  });

  it('a process that exits before its handshake, over a quantize and a conv case: both crash (none left out as unclaimed), exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
    const report = join(dir, 'run.json');
    const backend = [process.execPath, FAULTY_PROCESS, '--exit-at-once'].join(' ');
    const vectors = looseTorchVectors(join(dir, 'cases.jsonl'), { 'quantize_per_tensor.v1.jsonl': 1, 'quantized_conv2d.v1.jsonl': 1 });
    const r = await runQconform(['run', '--backend', backend, '--vectors', vectors, '--report', report]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    const results = (JSON.parse(readFileSync(report, 'utf8')) as { results: Array<{ id: string; verdict: string }> }).results;
    expect(results.map((c) => [c.id, c.verdict])).toEqual([
      ['quantize_per_tensor-00000', 'crash'],
      ['quantized_conv2d-00000', 'crash'],
    ]);
  });

  for (const [what, file, mode, message] of [
    ['a command that does not exist', 'no-such-backend', null, /could not be started: spawn \S+no-such-backend ENOENT: no such command or file \(give a path, or a command on PATH\)/],
    ['a file that is not executable', 'not-executable.sh', 0o644, /could not be started: spawn \S+not-executable\.sh EACCES: permission denied \(is the file executable\?\)/],
  ] as const) {
    it(`${what}: every case is crash "could not be started" with the reason, reports written, exit 2`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
      const report = join(dir, 'run.json');
      const backend = join(dir, file);
      if (mode !== null) writeFileSync(backend, '#!/bin/sh\n', { mode });
      const vectors = looseTorchVectors(join(dir, 'cases.jsonl'), { 'quantize_per_tensor.v1.jsonl': 2 });
      const r = await runQconform(['run', '--backend', backend, '--vectors', vectors, '--report', report]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      const results = (JSON.parse(readFileSync(report, 'utf8')) as { results: Array<{ verdict: string; detail: string }> }).results;
      expect(results.map((c) => c.verdict)).toEqual(['crash', 'crash']);
      for (const c of results) expect(c.detail).toMatch(message);
    });
  }

  it('a process that cannot restart after a crash: the rest is crash "backend cannot start" at once, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
    const run = await runScenario({ fault: 'crash', on: [2], backendArgs: ['--start-once', join(dir, 'started')] });
    const cannot = /backend cannot start \(3 starts in a row failed\): .*exited before its handshake/;
    await expectJudged(run, { 2: ['crash', /process ended \(exit code 3\)/], 3: ['crash', /restart failed: .*exited before its handshake/], 4: ['crash', cannot], 5: ['crash', cannot], 6: ['crash', cannot] }, 1);
    expect(run.stderr).toMatch(/every remaining case gets this verdict now/);
  });

  it('a restarted process with another version: the rest is error "not the backend this run started" at once, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
    const run = await runScenario({ fault: 'crash', on: [2], backendArgs: ['--version-per-start', join(dir, 'starts')] });
    const other = /the restarted process is not the backend this run started: its handshake differs \(version was "0.0.1", the restarted process says "0.0.2"\)/;
    await expectJudged(run, { 2: ['crash', /process ended \(exit code 3\)/], 3: ['error', other], 4: ['error', other], 5: ['error', other], 6: ['error', other] }, 1);
    expect(run.stderr).toMatch(/every remaining case gets this verdict now/);
    expect(readFileSync(join(dir, 'starts'), 'utf8').split('\n').filter(Boolean), 'no start after the changed one').toHaveLength(2);
  });

  it('a process that writes no handshake: the message says it is running silent and how to flush', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
    const { file } = faultVectors(dir);
    const pids = join(dir, 'pids');
    const started = performance.now();
    const start = SubprocessBackend.start({ command: process.execPath, args: [FAULTY_PROCESS, '--vectors', file, '--pids', pids, '--silent'] }, { startTimeoutMs: 1000 });
    await expect(start).rejects.toThrow(/no handshake within 1000 ms: the process is running but has written nothing to stdout.*flush=True.*python3 -u/);
    expect(performance.now() - started).toBeLessThan(5000);
    await expectNoProcessLeft(readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number));
  });

  it('a restart with the same backend in another order (ops, encodings, capabilities) or other info is no change', () => {
    const first = { protocol: 'qconform-eval/1', backend: 'b', version: '1', ops: ['x@1', 'y@1'], encodings: ['json', 'base64le'], capabilities: { schemes: ['s1', 's2'], dtypes: ['quint8', 'qint8'] }, info: { pid: 1 } };
    const same = { ...first, ops: ['y@1', 'x@1'], encodings: ['base64le', 'json'], capabilities: { dtypes: ['qint8', 'quint8'], schemes: ['s2', 's1'] }, info: { pid: 2 } };
    expect(handshakeChange(first, same)).toBeNull();
    expect(handshakeChange(first, { ...first, ops: ['x@1'] })).toBe('ops was ["x@1","y@1"], the restarted process says ["x@1"]');
    expect(handshakeChange(first, { ...first, version: '2' })).toBe('version was "1", the restarted process says "2"');
    expect(handshakeChange(first, { ...first, capabilities: { ...first.capabilities, accumulator: 'exact' } })).toMatch(/^capabilities was /);
  });

  it('every malformed handshake member is named', () => {
    const base = { protocol: 'qconform-eval/1', backend: 'b', version: '1', ops: ['quantize_per_tensor@1'] };
    const bad: Array<[object, RegExp]> = [
      [{ ...base, protocol: 'qconform-eval/2' }, /protocol must be "qconform-eval\/1"/],
      [{ ...base, backend: 3 }, /backend must be a non-empty string/],
      [{ ...base, version: '' }, /version must be a non-empty string/],
      [{ ...base, ops: 'quantize_per_tensor@1' }, /ops must be an array of strings/],
      [{ ...base, ops: [1, 2] }, /ops must be an array of strings/],
      [{ ...base, capabilities: [] }, /capabilities must be an object/],
      [{ ...base, capabilities: { accumulator: 7 } }, /capabilities.accumulator must be a non-empty string/],
      [{ ...base, capabilities: { dtype: ['qint8'] } }, /capabilities has unknown members \["dtype"\]/],
      [{ ...base, info: 'x' }, /info must be an object/],
      [{ ...base, name: 'b', cpu: 'x86' }, /unknown members \["name","cpu"\] \(known: protocol, backend, version, ops, capabilities, encodings, info; free-form provenance goes in "info"\)/],
    ];
    for (const [hs, message] of bad) expect(() => parseHandshake(JSON.stringify(hs)), JSON.stringify(hs)).toThrow(message);
    expect(() => parseHandshake('[1]')).toThrow(BadHandshake);
    expect(parseHandshake(JSON.stringify({ ...base, capabilities: { dtypes: ['qint8'] }, info: { a: 1 } }))).toEqual({ ...base, capabilities: { dtypes: ['qint8'] }, info: { a: 1 } });
  });
});
