/**
 * Text from a backend (error messages, names) made safe for where it goes. XML 1.0 cannot hold C0
 * controls other than tab, LF and CR, U+FFFE/U+FFFF or lone surrogates, not even as character
 * references; a terminal obeys ESC sequences and NUL; HTML parses NUL, C0 and C1 controls and
 * noncharacters as errors (NUL becomes U+FFFD) and a lone surrogate cannot be written in UTF-8. Each
 * gets a visible escape such as \u{1b} instead.
 */

/** Characters XML 1.0 does not allow (the complement of its Char production). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** C0 and C1 controls (tab, LF and CR included), DEL, noncharacters and lone surrogates. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\uFFFE\uFFFF]|\p{Surrogate}/gu;

const visible = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** `text` with every character of CONTROLS but those in `keep` made visible: the one escaping of the console and HTML. */
function controlsVisible(text: string, keep = ''): string {
  return text.replace(CONTROLS, (c) => (keep.includes(c) ? c : visible(c)));
}

/** Escaped for an XML attribute value or text: markup characters as references, forbidden characters made visible. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, visible).replace(/[<>&"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line of backend-supplied text, safe to print on a terminal (tab, LF and CR escaped too: a detail is one line). */
export function consoleText(text: string): string {
  return controlsVisible(text);
}

/** Text for an HTML page before its markup characters are escaped (html_page.ts escapeHtml): tab, LF and CR are kept. */
export function htmlText(text: string): string {
  return controlsVisible(text, '\t\n\r');
}
