/**
 * A request wrong in two ways, a field its op does not take and a value the library refuses, gets one answer from the
 * reference, impl and the built-in backends over an adapter process: the refusal of the field (malformed_request,
 * conformance/protocol/request_fields.ts), id, code and message alike. The torch adapter (qconform_torch.py) and the
 * native XNNPACK and gemmlowp adapters note what the op reads and refused such a field only once the op had answered,
 * so these requests got the library's refusal (or its crash: torch's onednn static linear with x's K = 0 dies of
 * SIGFPE) where reference and impl refuse the field. The built-ins now refuse it before the process sees the request
 * (conformance/backends/unread_fields_first.ts, with dispatch.ts unreadFieldRefusal).
 * Rows: the first committed cases of each op in the backend's default vector sets that the backend itself refuses
 * (run live first, unchanged: not vacuous), each with an unknown attribute, and with an unknown input; every built-in
 * live where it runs here (torch 1.13, the torch 2.6 chroot, the native adapters: the reason is printed when not).
 * Replay: npx vitest run tests/backends/unread_fields_first.test.ts -t '<backend>' (a failing row prints its request).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { evaluateRequest, unreadFieldRefusal } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { unreadFieldOf } from '../../conformance/protocol/request_fields.js';
import { readVectorSet } from '../../conformance/vectors/vector_set.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { tableRequest } from '../support/torch_linear_table.js';

const FILE = 'tests/backends/unread_fields_first.test.ts';
/** committed cases per op whose expectation is an error, taken in file order (those the backend refuses make rows) */
const PER_OP = 3;
const UNKNOWN = 'zz_not_a_field';
const RUN = { timeoutMs: 120_000 };

/** The first cases of each op of `dirs` whose expectation is an error (the library's refusal or a contract rejection: run live below). */
function refusedCases(dirs: readonly string[]): WireRequest[] {
  const out: WireRequest[] = [];
  const perOp = new Map<string, number>();
  for (const dir of dirs) {
    for (const f of readVectorSet(dir).files) {
      for (const c of f.cases) {
        if (!('error' in c.expect) || (perOp.get(c.op) ?? 0) >= PER_OP) continue;
        perOp.set(c.op, (perOp.get(c.op) ?? 0) + 1);
        out.push({ id: c.id, op: c.op, attrs: { ...c.attrs }, inputs: { ...c.inputs } } as WireRequest);
      }
    }
  }
  return out;
}

/** `base` with a field no op takes: an attribute, or an input (a copy of the base's first input, or a float32 1). */
function withUnknown(base: WireRequest, section: 'attrs' | 'inputs'): WireRequest {
  const inputs = (base.inputs ?? {}) as Record<string, unknown>;
  const value = section === 'attrs' ? 1 : (Object.values(inputs)[0] ?? { dtype: 'float32', shape: [], hex: ['3f800000'] });
  return { ...base, id: `${base.id}+${section}.${UNKNOWN}`, [section]: { ...((base[section] ?? {}) as Record<string, unknown>), [UNKNOWN]: value } } as WireRequest;
}

const show = (r: WireResponse) => ('error' in r ? `error ${r.error.code}: ${r.error.message.slice(0, 300)}` : `outputs ${JSON.stringify(r.outputs).slice(0, 200)}`);
const replay = (name: string, q: WireRequest) => `replay: npx vitest run ${FILE} -t '${name}'; echo '${JSON.stringify(q).slice(0, 1500)}' | npx qconform eval --backend reference`;

/**
 * Runs each base on the backend; each it refuses (other than for an unread field) makes two rows, the base with an
 * unknown field: the backend's answer must be reference's and impl's, which is the refusal of that field. Returns the rows.
 */
async function checkBackend(name: string, backend: Backend, bases: readonly WireRequest[]): Promise<number> {
  let rows = 0;
  for (const base of bases) {
    if (!backend.capabilities.ops.includes(base.op)) continue;
    const own = await backend.run(base, RUN);
    // a contract rejection the library computes (its outputs are in the vector beside qconform's error): no row
    if (!('error' in own)) continue;
    // the library's own refusal of the base (or its crash), never one of an unread field
    expect(unreadFieldOf(own.error.message), `${base.id} on ${name}: ${show(own)} (${replay(name, base)})`).toBeNull();
    for (const section of ['attrs', 'inputs'] as const) {
      const q = withUnknown(base, section);
      const want = evaluateRequest(IMPLEMENTATIONS[0]![1], q);
      const where = `${q.id} on ${name}: reference ${show(want)} (${replay(name, q)})`;
      expect('error' in want && want.error.code === 'malformed_request' && unreadFieldOf(want.error.message)?.name, where).toBe(UNKNOWN);
      for (const [impl, ops] of IMPLEMENTATIONS) expect(evaluateRequest(ops, q), `${where}; ${impl}`).toEqual(want);
      expect(unreadFieldRefusal(q), where).toEqual(want);
      const got = await backend.run(q, RUN);
      expect(got, `${where}; ${name} gave ${show(got)}`).toEqual(want);
      rows++;
    }
  }
  return rows;
}

/** torch's onednn static linear with x's K = 0: torch dies of SIGFPE (tests/backends/torch_linear_x_k0.test.ts). */
function onednnSigfpe(scheme: string): WireRequest {
  return tableRequest(`quantized_linear@1-${scheme}-kx0-sigfpe`, 'quantized_linear@1', scheme, { x: [2, 0], w: [3, 5] });
}

describe('a request with a field its op does not take and a value the library refuses: one answer everywhere', () => {
  it('a request that only has an unknown field, or none, is not refused before the library (unreadFieldRefusal)', () => {
    const base = refusedCases([builtinBackend('torch-qnnpack')!.defaultVectors ?? []].flat())[0]!;
    expect(unreadFieldRefusal(base)).toBeNull();
    expect(unreadFieldRefusal({ ...base, op: 'not_an_op@1', attrs: { [UNKNOWN]: 1 } })).toBeNull(); // unknown_op comes first
    expect(unreadFieldRefusal(withUnknown(base, 'attrs'))).toMatchObject({ id: `${base.id}+attrs.${UNKNOWN}`, error: { code: 'malformed_request' } });
  });

  for (const name of ['torch-qnnpack', 'torch-onednn', 'torch26-qnnpack', 'torch26-onednn', 'xnnpack', 'gemmlowp']) {
    const builtin = builtinBackend(name)!;
    const availability = builtin.availability();
    if (!availability.available) console.log(`${name} not run: ${availability.reason}`);
    it.runIf(availability.available)(`${name}: refused before the library runs, as reference and impl refuse it (live)`, { timeout: 600_000 }, async () => {
      const backend = await builtin.create();
      try {
        const bases = refusedCases([builtin.defaultVectors ?? []].flat());
        if (name.includes('onednn')) bases.push(onednnSigfpe(name.startsWith('torch26') ? 'torch-onednn@2' : 'torch-onednn@1'));
        const rows = await checkBackend(name, backend, bases);
        // not vacuous: every op the backend answers from its sets has rows (torch: 15 ops and more, native: 1)
        expect(rows, name).toBeGreaterThanOrEqual(name.startsWith('torch') ? 30 : 2);
      } finally {
        await backend.close?.();
      }
    });
  }
});
