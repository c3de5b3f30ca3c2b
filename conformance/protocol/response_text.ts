/**
 * A response as its line of JSON: exactly the text JSON.stringify gives, made faster for `base64le` outputs,
 * whose base64 strings (made by contract/wire.ts encodeTensor, so nothing in them needs escaping) are copied in
 * as they are instead of being scanned character by character (tests/contract/response_text.test.ts checks the
 * text equals JSON.stringify's).
 */
import { isEncodedCompactTensor } from '../../contract/wire.js';
import type { WireResponse } from './messages.js';

export function responseText(r: WireResponse): string {
  const plain = () => JSON.stringify(r);
  if (!('outputs' in r) || typeof r.id !== 'string' || Object.keys(r).join() !== 'id,outputs') return plain();
  const parts: string[] = [];
  for (const [name, v] of Object.entries(r.outputs)) {
    if (typeof v === 'number') parts.push(`${JSON.stringify(name)}:${JSON.stringify(v)}`);
    else if (isEncodedCompactTensor(v)) parts.push(`${JSON.stringify(name)}:{"dtype":${JSON.stringify(v.dtype)},"shape":${JSON.stringify(v.shape)},"b64":"${v.b64}"}`);
    else return plain();
  }
  return `{"id":${JSON.stringify(r.id)},"outputs":{${parts.join(',')}}}`;
}
