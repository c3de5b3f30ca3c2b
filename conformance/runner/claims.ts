/** Whether a backend claims a case: its op, its scheme, its accumulator variant and every quantized dtype it involves. */
import { QUANT_DTYPES } from '../../contract/dtypes.js';
import type { WireRequest } from '../protocol/messages.js';
import type { Capabilities } from '../backends/backend.js';
import { schemeOf } from './scheme.js';

/** Quantized dtypes a request names: its `dtype` attribute and the dtypes of its integer tensors. */
export function quantizedDtypesOf(request: WireRequest): string[] {
  const found = new Set<string>();
  const note = (d: unknown) => {
    if (typeof d === 'string' && (QUANT_DTYPES as readonly string[]).includes(d)) found.add(d);
  };
  note(request.attrs?.dtype);
  for (const t of Object.values(request.inputs ?? {})) {
    for (const u of Array.isArray(t) ? t : [t]) note((u as { dtype?: unknown } | null)?.dtype);
  }
  return [...found];
}

/** Null when the backend claims the case, else why not. */
export function unclaimedReason(caps: Capabilities, request: WireRequest): string | null {
  if (!caps.ops.includes(request.op)) return `op ${request.op} is not among the backend's ops`;
  const scheme = schemeOf(request);
  if (caps.schemes && !caps.schemes.includes(scheme)) return `scheme ${scheme} is not among the backend's schemes (${caps.schemes.join(', ')})`;
  const accumulator = request.attrs?.accumulator;
  if (caps.accumulator && typeof accumulator === 'string' && accumulator !== caps.accumulator) {
    return `accumulator ${accumulator} differs from the backend's (${caps.accumulator})`;
  }
  const dtypes = caps.dtypes;
  const missing = dtypes ? quantizedDtypesOf(request).filter((d) => !dtypes.includes(d)) : [];
  if (missing.length) return `dtype ${missing.join(', ')} is not among the backend's dtypes (${dtypes?.join(', ')})`;
  return caps.unclaimedCase?.(request) ?? null;
}
