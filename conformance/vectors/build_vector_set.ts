import { evaluateRequest } from '../protocol/dispatch.js';
import { type WireRequest, type WireResponse } from '../protocol/messages.js';
import { CONTRACT_REJECTIONS, type ErrorCode, IRREPRODUCIBLE_ORACLE_OUTPUTS } from '../../contract/errors.js';
import { reference } from '../../reference/index.js';
import type { Manifest, VectorCase } from './vector_set.js';
import { runThroughTorch } from '../backends/torch/torch_process.js';
import { CATALOG, GENERATOR_VERSION, generateRequests } from '../cases/catalog.js';
import { type BuiltVectorSet, assembleVectorFiles } from './vector_set_files.js';

/** All requests of the catalogue for a seed, grouped by op, in catalogue order. */
export function catalogRequests(seed: string): Array<{ op: string; requests: WireRequest[] }> {
  return CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, seed) }));
}

/**
 * A vector case from a request and the oracle's response. Where torch returned values for an input that
 * qconform's contract rejects (CONTRACT_REJECTIONS), the case expects the typed error and keeps torch's
 * outputs beside it (unless they are not reproducible: IRREPRODUCIBLE_ORACLE_OUTPUTS). `deviations` names what the
 * oracle does instead, per error code (default: torch 1.13's, CONTRACT_REJECTIONS).
 */
export function toVectorCase(req: WireRequest, resp: WireResponse, deviations: Partial<Record<ErrorCode, string>> = CONTRACT_REJECTIONS): VectorCase {
  const base = { id: req.id, op: req.op, attrs: req.attrs ?? {}, inputs: req.inputs ?? {} };
  // an answer the oracle's library did not compute (a known crash kept from it) is no oracle answer to record
  if (resp.not_run !== undefined) throw new Error(`${req.id}: the oracle was not run on this request (${resp.not_run}); a golden vector needs the oracle's own answer`);
  if ('error' in resp) return { ...base, expect: { error: { code: resp.error.code, oracle_message: resp.error.message } } };
  const contract = evaluateRequest(reference, req);
  const deviation = 'error' in contract ? deviations[contract.error.code as ErrorCode] : undefined;
  if ('error' in contract && deviation) {
    const code = contract.error.code as ErrorCode;
    const recorded = IRREPRODUCIBLE_ORACLE_OUTPUTS.has(code) ? {} : { oracle_outputs: resp.outputs };
    return { ...base, expect: { error: { code, ...recorded, deviation } } };
  }
  return { ...base, expect: { outputs: resp.outputs } };
}

/** The cases of requests grouped by op, from the oracle's responses to all of them, in the same order. */
export function toVectorGroups(
  groups: ReadonlyArray<{ op: string; requests: readonly WireRequest[] }>,
  responses: readonly WireResponse[],
  deviations?: Partial<Record<ErrorCode, string>>,
): Array<{ op: string; cases: VectorCase[] }> {
  let k = 0;
  return groups.map(({ op, requests }) => ({ op, cases: requests.map((req) => toVectorCase(req, responses[k++]!, deviations)) }));
}

/**
 * The groups and responses without the requests the oracle's library was not run on (a response marked `not_run`: a
 * request known to kill it, a value or a dtype its binding cannot be given, conformance/backends/onnxruntime/ort_not_run.ts),
 * since a golden vector needs the oracle's own answer (toVectorCase refuses such a response). `leftOut`: each such
 * request's id and reason, in order, for the writer to log and to name in its manifest.
 */
export function withoutNotRun(
  groups: ReadonlyArray<{ op: string; requests: readonly WireRequest[] }>,
  responses: readonly WireResponse[],
): { groups: Array<{ op: string; requests: WireRequest[] }>; responses: WireResponse[]; leftOut: Array<{ id: string; notRun: string }> } {
  const leftOut: Array<{ id: string; notRun: string }> = [];
  const kept: WireResponse[] = [];
  let k = 0;
  const keptGroups = groups.map(({ op, requests }) => ({
    op,
    requests: requests.filter((req) => {
      const resp = responses[k++]!;
      if (resp.not_run !== undefined) leftOut.push({ id: req.id, notRun: resp.not_run });
      else kept.push(resp);
      return resp.not_run === undefined;
    }),
  }));
  return { groups: keptGroups, responses: kept, leftOut };
}

/** The manifest's record of the requests withoutNotRun left out (`left_out_not_run`: "<id>: <reason>"), none when none were. */
export function leftOutProvenance(leftOut: ReadonlyArray<{ id: string; notRun: string }>): { left_out_not_run?: string[] } {
  return leftOut.length === 0 ? {} : { left_out_not_run: leftOut.map(({ id, notRun }) => `${id}: ${notRun}`) };
}

/** Generate every case, run it through real torch, and build the files and manifest (nothing is written). */
export async function buildTorchVectorSet(seed: string, log: (s: string) => void): Promise<BuiltVectorSet> {
  const groups = catalogRequests(seed);
  const all = groups.flatMap((g) => g.requests);
  log(`running ${all.length} cases through PyTorch...`);
  const { handshake, responses } = await runThroughTorch(all, (n) => log(`  ${n}/${all.length}`));
  const { texts, files } = assembleVectorFiles(toVectorGroups(groups, responses));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed,
    oracle: `torch ${handshake.version} (Debian python3-torch) via conformance/backends/torch/python/qconform_torch.py`,
    provenance: { ...handshake.info, torch_version: handshake.version, generated_by: 'npm run vectors:write' },
    files,
  };
  return { manifest, texts };
}
