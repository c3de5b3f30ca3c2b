/**
 * A wire request as a TOSA program (tosa_requantize.ts, tosa_conv.ts), or its response when the contract or
 * TOSA refuses it before anything runs; and a cache of answers computed in batches.
 */
import { checkConv2d } from '../../../contract/conv_checks.js';
import { QconformError, isQconformError } from '../../../contract/errors.js';
import { decodeConvArgs, isConvOpName } from '../../protocol/conv_dispatch.js';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { decodeRequantize, isRequantizeOpName } from '../../protocol/requantize_dispatch.js';
import { decodeRequest } from '../../protocol/request_fields.js';
import { type TosaProgram, runPrograms } from './tosa_batch.js';
import { TOSA_CONV_SCHEMES, convProgram } from './tosa_conv.js';
import { requantizeProgram } from './tosa_requantize.js';

export const TOSA_OPS = ['quantized_conv2d@1', 'requantize@1'] as const;

function program(request: WireRequest): TosaProgram | WireResponse {
  if (isRequantizeOpName(request.op)) return requantizeProgram(request.id, decodeRequest(request.op, request.attrs, request.inputs, decodeRequantize));
  if (!isConvOpName(request.op)) throw new QconformError('unknown_op', 'request.op', request.op);
  const op = request.op;
  const a = decodeRequest(op, request.attrs, request.inputs, (attrs, inputs) => decodeConvArgs(op, attrs, inputs));
  if (!(TOSA_CONV_SCHEMES as readonly string[]).includes(a.scheme)) throw new QconformError('unknown_scheme', 'quantized_conv2d: scheme', a.scheme, `tosa-mlir computes ${TOSA_CONV_SCHEMES.join(', ')}`);
  return convProgram(request.id, a, checkConv2d(a));
}

function programOrResponse(request: WireRequest): TosaProgram | WireResponse {
  try {
    return program(request);
  } catch (e) {
    if (isQconformError(e)) return { id: request.id, error: { code: e.code, message: e.message } };
    return { id: request.id, error: { code: 'backend_error', message: e instanceof Error ? e.message : String(e) } };
  }
}

const isResponse = (p: TosaProgram | WireResponse): p is WireResponse => 'outputs' in p || 'error' in p;

/** Answers the requests, running every program among them in batches (one response per request, in order). */
export async function runTosaRequests(requests: readonly WireRequest[]): Promise<WireResponse[]> {
  const prepared = requests.map(programOrResponse);
  const programs = prepared.filter((p): p is TosaProgram => !isResponse(p));
  const ran = await runPrograms(programs);
  let k = 0;
  return prepared.map((p) => (isResponse(p) ? p : ran[k++]!));
}

/** What a request asks, without its id: equal keys get equal answers. */
const requestKey = (r: WireRequest) => JSON.stringify([r.op, r.attrs ?? {}, r.inputs ?? {}]);

/** Answers kept from a batch, handed out by run() (each with the id it is asked under). */
export class AnswerCache {
  private readonly answers = new Map<string, WireResponse>();

  async fill(requests: readonly WireRequest[]): Promise<void> {
    const missing = requests.filter((r) => !this.answers.has(requestKey(r)));
    const responses = await runTosaRequests(missing);
    missing.forEach((r, i) => this.answers.set(requestKey(r), responses[i]!));
  }

  async answer(request: WireRequest): Promise<WireResponse> {
    const key = requestKey(request);
    let kept = this.answers.get(key);
    if (!kept) {
      kept = (await runTosaRequests([request]))[0]!;
      this.answers.set(key, kept);
    }
    return { ...kept, id: request.id };
  }
}
