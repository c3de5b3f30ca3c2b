/**
 * The built-in backends over a process (torch, torch 2.6, XNNPACK, gemmlowp, ORT under an emulated CPU) wrap their
 * SubprocessBackend (withInfo: provenance; refusingUnreadFirst: unread_fields_first.ts). The runner reads a backend's
 * warnings and its contradicted answers when the run ends (run_suite.ts: a case answered twice, differently, is an
 * error), but withInfo and the spreads of the built-ins copied neither: the built-ins had none, so such a case passed
 * and the stray lines went unreported. Both are now read live through every wrapper.
 * Replay: npx vitest run tests/runner/builtin_forwarding.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { withInfo } from '../../conformance/backends/cpu/with_cpu_info.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { SubprocessBackend } from '../../conformance/backends/subprocess/subprocess_backend.js';
import { refusingUnreadFirst } from '../../conformance/backends/unread_fields_first.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { FAULTY_PROCESS, faultVectors } from '../support/fault_scenario.js';
import { quantizeCases } from '../support/runner_fixtures.js';

describe("the built-ins' wrappers read a process backend's warnings and contradicted answers live", () => {
  it('a second, different answer reaches the runner through withInfo and refusingUnreadFirst, as the built-ins compose them', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-forwarding-'));
    const { file, ids } = faultVectors(dir);
    const target = ids[2]!;
    const process_ = await SubprocessBackend.start({ command: process.execPath, args: [FAULTY_PROCESS, '--vectors', file, '--fault', 'answer-twice-different', '--on', target, '--delay', '0'] });
    const wrapped: Backend = refusingUnreadFirst(withInfo(process_, { cpu: 'test' }, { ...process_.capabilities, accumulator: 'exact' }));
    try {
      // created before any case ran: a copy would stay empty
      for (const c of quantizeCases(5)) await wrapped.run({ id: c.case.id, op: c.case.op, attrs: c.case.attrs, inputs: c.case.inputs } as WireRequest, { timeoutMs: 10_000 });
      expect([...(wrapped.contradicted ?? new Map()).keys()], 'replay: npx vitest run tests/runner/builtin_forwarding.test.ts').toEqual([target]);
      expect((wrapped.warnings ?? []).join('\n')).toMatch(new RegExp(`after answering ${target}`));
      // and what withInfo adds
      expect(wrapped.capabilities.accumulator).toBe('exact');
      expect(wrapped.info?.cpu).toBe('test');
    } finally {
      await wrapped.close?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // live: the built-ins themselves (each where it runs here; the reason is printed when not)
  for (const name of ['torch-qnnpack', 'torch26-onednn', 'xnnpack', 'gemmlowp']) {
    const builtin = builtinBackend(name)!;
    const availability = builtin.availability();
    if (!availability.available) console.log(`${name} not run: ${availability.reason}`);
    it.runIf(availability.available)(`${name}: its backend has its process's warnings and contradicted answers (live)`, { timeout: 300_000 }, async () => {
      const backend = await builtin.create();
      try {
        expect(Array.isArray(backend.warnings), `${name}: warnings`).toBe(true);
        expect(backend.contradicted, `${name}: contradicted`).toBeInstanceOf(Map);
      } finally {
        await backend.close?.();
      }
    });
  }
});
