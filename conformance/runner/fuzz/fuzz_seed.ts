/** "--seed S": an integer, or any other text hashed (FNV-1a) to one. */
export function fuzzSeed(text: string): number {
  if (/^-?\d+$/.test(text)) return Number(text) | 0;
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return h | 0;
}
