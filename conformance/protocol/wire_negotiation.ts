/**
 * The runner's side of the compact tensor encoding (docs/protocol.md, "Compact tensors"): a backend whose
 * handshake offers `base64le` gets its requests' tensors in that form and is asked for its outputs in it;
 * any other backend gets json, as before. Verdicts do not depend on the encoding: the runner turns every
 * `base64le` output back into json, bit for bit (contract/wire_transcode.ts), before comparing.
 */
import type { WireEncoding } from '../../contract/wire.js';
import { compactWireTensor, jsonWireTensor } from '../../contract/wire_transcode.js';
import type { Handshake } from './handshake.js';
import type { WireOutputs, WireRequest } from './messages.js';

/** `--wire`: `auto` uses base64le with a backend that offers it, `json` never does. */
export const WIRE_CHOICES = ['auto', 'json'] as const;
export type WireChoice = (typeof WIRE_CHOICES)[number];

/** The encoding the runner speaks to a backend with this handshake. */
export function negotiatedEncoding(handshake: Pick<Handshake, 'encodings'>, choice: WireChoice = 'auto'): WireEncoding {
  return choice === 'auto' && (handshake.encodings ?? []).includes('base64le') ? 'base64le' : 'json';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A tensor (or a list of tensors) in base64le; one that does not decode travels unchanged, so the backend sees the same fault. */
function compactInput(v: unknown, path: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => compactInput(x, `${path}[${i}]`));
  if (!isObject(v)) return v;
  try {
    return compactWireTensor(v, path);
  } catch {
    return v;
  }
}

/** The request as sent to a backend that speaks base64le: the same case, its tensors compact, its outputs asked for in base64le. */
export function compactRequest(request: WireRequest): WireRequest {
  if (!isObject(request.inputs)) return { ...request, encoding: 'base64le' };
  const inputs = Object.fromEntries(Object.entries(request.inputs).map(([name, v]) => [name, compactInput(v, `inputs.${name}`)]));
  return { ...request, encoding: 'base64le', inputs };
}

/**
 * The outputs in json form: each base64le tensor transcoded; one that does not decode is left as it is (the runner reports
 * it malformed). Built as own entries (Object.fromEntries), never by assignment: `out['__proto__'] = v` would set the
 * object's prototype and lose an output a backend named `__proto__`.
 */
export function jsonOutputs(outputs: WireOutputs): WireOutputs {
  let changed = false;
  const entries = Object.entries(outputs).map(([name, v]): [string, unknown] => {
    if (isObject(v) && Object.hasOwn(v, 'b64')) {
      try {
        const json = jsonWireTensor(v, `outputs.${name}`);
        changed = true;
        return [name, json];
      } catch {
        // left as it is
      }
    }
    return [name, v];
  });
  return changed ? (Object.fromEntries(entries) as WireOutputs) : outputs;
}
