/**
 * The shell of qconform's self-contained HTML pages (`qconform run --html`, `qconform explain --html`): escaping,
 * tables and one inline stylesheet. No external asset, script or font: the file can be mailed or archived as is.
 */
import { htmlText } from './safe_text.js';

/** Text for HTML element content and attribute values: control characters made visible (safe_text.ts htmlText), markup escaped. */
export function escapeHtml(s: unknown): string {
  return htmlText(String(s)).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A table; cells are escaped text unless given as { html }. */
export type Cell = string | number | { readonly html: string; readonly cls?: string };

export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[], cls = ''): string {
  const cell = (c: Cell) => (typeof c === 'object' ? `<td${c.cls ? ` class="${escapeHtml(c.cls)}"` : ''}>${c.html}</td>` : `<td>${escapeHtml(c)}</td>`);
  return `<table${cls ? ` class="${escapeHtml(cls)}"` : ''}><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;max-width:1400px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}code,pre,.mono{font-family:ui-monospace,monospace;font-size:12px}pre{background:#f7f7f7;padding:.5em;overflow-x:auto}
.pass{background:#d9f2d9}.fail{background:#f8d0d0}.other{background:#fbeec2}.muted{color:#666}.generated{color:#a40;font-weight:bold}
table.info code{white-space:pre-wrap;word-break:break-word}svg{background:#fff;border:1px solid #ddd;margin:.3em .6em .3em 0}.charts{display:flex;flex-wrap:wrap}`;

/** A whole page: title, inline style, body. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}
