/**
 * Text from a backend (error messages, names) made safe for where it goes. XML 1.0 cannot hold C0
 * controls other than tab, LF and CR, U+FFFE/U+FFFF or lone surrogates, not even as character
 * references; a terminal obeys ESC sequences and NUL. Both get a visible escape such as \u{1b} instead.
 */

/** Characters XML 1.0 does not allow (the complement of its Char production). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** C0 and C1 controls (tab, LF and CR included: a detail is one line), DEL, noncharacters and lone surrogates. */
const NOT_CONSOLE_SAFE = /[\u0000-\u001f\u007f-\u009f\uFFFE\uFFFF]|\p{Surrogate}/gu;

const visible = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** Escaped for an XML attribute value or text: markup characters as references, forbidden characters made visible. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, visible).replace(/[<>&"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line of backend-supplied text, safe to print on a terminal. */
export function consoleText(text: string): string {
  return text.replace(NOT_CONSOLE_SAFE, visible);
}
