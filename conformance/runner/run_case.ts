/**
 * Run one golden case on a backend and decide its verdict. The backend sees the request only (never
 * the expectation). Transport faults become timeout / crash / error verdicts; an answer that is not a
 * well-formed response (a tensor whose values do not fit its shape, an unknown dtype) is an `error`.
 */
import { decodeTensor } from '../../contract/wire.js';
import type { WireRequest, WireResponse } from '../protocol/messages.js';
import { type Backend, BackendFault } from '../backends/backend.js';
import { unclaimedReason } from './claims.js';
import type { CaseResult } from './results.js';
import { matchingSchemes } from './scheme_identification.js';
import { judgeAnswer } from './verdict.js';
import type { SelectedCase } from './vector_selection.js';

export interface RunCaseOptions {
  readonly timeoutMs: number;
  readonly strictContract?: boolean;
  /** Schemes to try on a failing case with a `scheme` attribute (scheme_identification.ts). */
  readonly knownSchemes?: readonly string[];
}

type Raw = Omit<CaseResult, 'id' | 'op' | 'scheme' | 'location' | 'ms'>;

function withTimeout<T>(value: T | Promise<T>, ms: number): Promise<T> {
  if (!(value instanceof Promise)) return Promise.resolve(value);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BackendFault('timeout', `no response within ${ms} ms`)), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}

/** Null when every output decodes as a wire tensor (or is an integer), else what is wrong. */
function malformedOutputs(response: WireResponse): string | null {
  if ('error' in response) return typeof response.error?.code === 'string' ? null : 'error without a string code';
  if (typeof response.outputs !== 'object' || response.outputs === null) return 'outputs is not an object';
  for (const [name, value] of Object.entries(response.outputs)) {
    if (typeof value === 'number') continue;
    try {
      decodeTensor(value, `outputs.${name}`);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return null;
}

async function answer(backend: Backend, request: WireRequest, options: RunCaseOptions): Promise<{ response: WireResponse } | Raw> {
  try {
    const pending = backend.run(request, { timeoutMs: options.timeoutMs });
    return { response: await (backend.enforcesTimeout ? pending : withTimeout(pending, options.timeoutMs)) };
  } catch (e) {
    if (e instanceof BackendFault) return { verdict: e.kind === 'garbage' ? 'error' : e.kind, detail: e.message };
    return { verdict: 'error', detail: `backend threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
}

async function judge(backend: Backend, s: SelectedCase, options: RunCaseOptions): Promise<Raw> {
  const { id, op, attrs, inputs } = s.case;
  const request: WireRequest = { id, op, attrs, inputs };
  const unclaimed = unclaimedReason(backend.capabilities, request);
  if (unclaimed) return { verdict: 'unsupported', detail: unclaimed };
  const got = await answer(backend, request, options);
  if (!('response' in got)) return got;
  const malformed = malformedOutputs(got.response);
  if (malformed) return { verdict: 'error', detail: `malformed response: ${malformed}` };
  const r = got.response;
  const expectsUnknownOp = 'error' in s.case.expect && s.case.expect.error.code === 'unknown_op';
  if ('error' in r && r.error.code === 'unknown_op' && !expectsUnknownOp) return { verdict: 'unsupported', detail: `backend answered unknown_op: ${r.error.message}` };
  const v = judgeAnswer(s.case, r, { strictContract: options.strictContract ?? false });
  if (v.pass) return { verdict: 'pass', ...(v.note ? { detail: v.note } : {}) };
  const element = v.difference.element ? { element: v.difference.element } : {};
  const matches = options.knownSchemes?.length && typeof attrs.scheme === 'string' ? { matchesSchemes: matchingSchemes(s.case, r, options.knownSchemes) } : {};
  return { verdict: 'fail', detail: v.difference.message, ...element, ...matches };
}

export async function runCase(backend: Backend, s: SelectedCase, options: RunCaseOptions): Promise<CaseResult> {
  const started = performance.now();
  const raw = await judge(backend, s, options);
  return { id: s.case.id, op: s.case.op, scheme: s.scheme, location: `${s.file}:${s.line}`, ms: performance.now() - started, ...raw };
}
