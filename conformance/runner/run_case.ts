/**
 * Run one golden case on a backend and decide its verdict. The backend sees the request only (never
 * the expectation). Transport faults become timeout / crash / error verdicts; an answer that is not a
 * well-formed response (not an object, another id, both outputs and error, a tensor whose values do not fit its shape,
 * an unknown dtype, a `not_run` that is not a non-empty string) is an `error`, and so is a backend whose capabilities, run or
 * response throw when read. An answer marked `not_run` (its library did not compute it) is `not-run` when its stand-in is the expected answer, else judged as any answer. Outputs in the
 * compact `base64le` form are judged in json form (protocol/wire_negotiation.ts).
 */
import { ERROR_CODES, QconformError, formatValue } from '../../contract/errors.js';
import { decodeTensor } from '../../contract/wire.js';
import type { WireRequest, WireResponse } from '../protocol/messages.js';
import { jsonOutputs } from '../protocol/wire_negotiation.js';
import { type Backend, BackendFault, describeThrown } from '../backends/backend.js';
import { boundedText } from './backend_text.js';
import { unclaimedReason } from './claims.js';
import type { CaseResult } from './results.js';
import { matchingSchemes } from './scheme_identification.js';
import { judgeAnswer } from './verdict.js';
import { VectorFileError } from '../vectors/vector_file_error.js';
import { type SelectedCase, identityOf } from './vector_selection.js';

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

function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'string') return `a string (${JSON.stringify(x.slice(0, 40))}${x.length > 40 ? '...' : ''})`;
  return Array.isArray(x) ? 'an array' : `a ${typeof x}`;
}

/** Null when the answer is a response to `id` whose outputs all decode as wire tensors (or are integers), else what is wrong. */
function malformedResponse(response: unknown, id: string): string | null {
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return `the response is ${describeValue(response)}, not an object`;
  const r = response as Record<string, unknown>;
  if (r.id !== id) return `the response is for id ${JSON.stringify(r.id) ?? 'undefined'}, not ${id}`;
  if ('not_run' in r && r.not_run !== undefined && (typeof r.not_run !== 'string' || r.not_run === '')) return `not_run is ${describeValue(r.not_run)}, not a non-empty string saying why the library was not run`;
  // one or the other: an answer with both would be judged by its error alone, its outputs never looked at
  if (r.error !== undefined && r.outputs !== undefined) return 'it carries both outputs and error (a response is one or the other)';
  if ('error' in r) {
    const error = r.error as { code?: unknown; message?: unknown } | null;
    return typeof error?.code === 'string' && typeof error.message === 'string' ? null : 'error without a string code and message';
  }
  if (typeof r.outputs !== 'object' || r.outputs === null || Array.isArray(r.outputs)) return `outputs is ${describeValue(r.outputs)}, not an object of named outputs`;
  for (const [name, value] of Object.entries(r.outputs)) {
    if (typeof value === 'number') continue;
    try {
      decodeTensor(value, `outputs.${name}`);
    } catch (e) {
      // the wire decoder words its rejections for requests (malformed_request): a response gets the what and why only
      return e instanceof QconformError ? `${e.what}: ${e.detail ?? ERROR_CODES[e.code]}; got ${formatValue(e.value)}` : (e as Error).message;
    }
  }
  return null;
}

async function answer(backend: Backend, request: WireRequest, options: RunCaseOptions): Promise<{ response: unknown } | Raw> {
  try {
    const pending = backend.run(request, { timeoutMs: options.timeoutMs });
    return { response: await (backend.enforcesTimeout ? pending : withTimeout(pending, options.timeoutMs)) };
  } catch (e) {
    if (e instanceof BackendFault) return { verdict: e.kind === 'garbage' ? 'error' : e.kind, detail: e.message };
    return { verdict: 'error', detail: `backend threw ${describeThrown(e)}` };
  }
}

function claimProblem(backend: Backend, request: WireRequest): Raw | null {
  try {
    const unclaimed = unclaimedReason(backend.capabilities, request);
    return unclaimed ? { verdict: 'unsupported', detail: unclaimed } : null;
  } catch (e) {
    return { verdict: 'error', detail: `the backend's capabilities could not be read: ${describeThrown(e)}` };
  }
}

async function judge(backend: Backend, s: SelectedCase, options: RunCaseOptions): Promise<Raw> {
  const c = s.case; // read once: a later read could meet a vector file changed meanwhile
  const { id, op, attrs, inputs } = c;
  const request: WireRequest = { id, op, attrs, inputs };
  const unclaimed = claimProblem(backend, request);
  if (unclaimed) return unclaimed;
  const got = await answer(backend, request, options);
  if (!('response' in got)) return got;
  const malformed = malformedResponse(got.response, id);
  if (malformed) return { verdict: 'error', detail: `malformed response: ${malformed}` };
  const answered = got.response as WireResponse;
  const judged = judgeResponse(c, answered, options);
  // the backend's stand-in for an answer its library did not compute: reported apart, neither a pass nor a failure, when
  // the stand-in is the expected answer; a wrong stand-in fails as any wrong answer does (not_run excuses no answer)
  if (answered.not_run === undefined) return judged;
  return judged.verdict === 'pass' ? { verdict: 'not-run', detail: answered.not_run } : { ...judged, detail: `${judged.detail ?? ''} (the backend's answer, marked not run by its library: ${answered.not_run})` };
}

/** The verdict of a backend's well-formed answer to case `c`. */
function judgeResponse(c: SelectedCase['case'], answered: WireResponse, options: RunCaseOptions): Raw {
  const { attrs } = c;
  // base64le outputs (a backend that negotiated the compact encoding) are compared in json form, bit for bit
  const r: WireResponse = 'outputs' in answered ? { ...answered, outputs: jsonOutputs(answered.outputs) } : answered;
  const expectsUnknownOp = 'error' in c.expect && c.expect.error.code === 'unknown_op';
  if ('error' in r && r.error.code === 'unknown_op' && !expectsUnknownOp) return { verdict: 'unsupported', detail: `backend answered unknown_op: ${r.error.message}` };
  const v = judgeAnswer(c, r, { strictContract: options.strictContract ?? false });
  if (v.pass) return { verdict: 'pass', ...(v.note ? { detail: v.note } : {}) };
  const element = v.difference.element ? { element: v.difference.element } : {};
  const matches = options.knownSchemes?.length && typeof attrs.scheme === 'string' ? { matchesSchemes: matchingSchemes(c, r, options.knownSchemes) } : {};
  return { verdict: 'fail', detail: v.difference.message, ...element, ...matches };
}

/**
 * The verdict `error` of a case that could not be read again from its vector file (it changed during the run): the
 * vector file is named, not the backend, which was not asked.
 */
function unreadableCaseDetail(e: VectorFileError): string {
  return `not run: the vector file could not be read again (${e.message}); the backend was not asked`;
}

export async function runCase(backend: Backend, s: SelectedCase, options: RunCaseOptions): Promise<CaseResult> {
  const started = performance.now();
  // a response with getters that throw, or any other surprise while judging, costs this case only; so does a vector
  // file that changed since the selection read it
  const raw = await judge(backend, s, options).catch((e: unknown): Raw => ({ verdict: 'error', detail: e instanceof VectorFileError ? unreadableCaseDetail(e) : `judging the response threw ${describeThrown(e)}` }));
  const { id, op } = identityOf(s);
  // the detail holds the backend's text (a message, a not_run reason, a code, output names): bounded here, where every
  // judged result is made, so the console and every report get the same bounded text
  const detail = raw.detail === undefined ? {} : { detail: boundedText(raw.detail) };
  return { id, op, scheme: s.scheme, ...(s.set ? { set: s.set } : {}), location: `${s.file}:${s.line}`, ms: performance.now() - started, ...raw, ...detail };
}
