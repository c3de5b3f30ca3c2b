import { describe, expect, it } from 'vitest';
import { MAX_BACKEND_TEXT_BYTES, boundedText } from '../../conformance/runner/backend_text.js';

describe('boundedText: a backend\'s text kept to its first 4 KiB of UTF-8', () => {
  it('keeps text within the bound as it is', () => {
    expect(MAX_BACKEND_TEXT_BYTES).toBe(4096);
    const text = 'x'.repeat(4096);
    expect(boundedText(text)).toBe(text);
    expect(boundedText('é'.repeat(2048))).toBe('é'.repeat(2048));
  });

  it('cuts longer text at a whole code point and counts the bytes left out', () => {
    expect(boundedText('x'.repeat(4097))).toBe(`${'x'.repeat(4096)}... (1 more bytes)`);
    // 4095 ASCII bytes, then a 4-byte emoji that does not fit whole: it is left out, not split
    expect(boundedText(`${'x'.repeat(4095)}\u{1f600}yz`)).toBe(`${'x'.repeat(4095)}... (6 more bytes)`);
    // 2-byte characters: 2048 of them fill the bound exactly
    expect(boundedText('é'.repeat(3000))).toBe(`${'é'.repeat(2048)}... (${2 * (3000 - 2048)} more bytes)`);
  });

  it('counts a lone surrogate as the 3 bytes UTF-8 writes for it, and keeps it (the reports escape it)', () => {
    const text = `\ud800${'x'.repeat(5000)}`;
    expect(boundedText(text)).toBe(`\ud800${'x'.repeat(4093)}... (907 more bytes)`);
  });
});
