/** Inline SVG charts for the explain page: a histogram with marked ranges, and a bar chart of ±k differences. */
import { escapeHtml } from '../runner/reports/html_page.js';

export interface Marker {
  readonly at: number;
  readonly label: string;
  readonly color: string;
}

const W = 460;
const H = 200;
const PAD = 28;

/** Bars for `counts` over [lo, hi] (heights by square root of the count), vertical lines at the markers (clipped to the axis), a legend below. */
export function histogramSvg(title: string, lo: number, hi: number, counts: readonly number[], markers: readonly Marker[]): string {
  const max = Math.max(1, ...counts);
  const bw = (W - 2 * PAD) / Math.max(1, counts.length);
  const x = (v: number) => PAD + ((v - lo) / (hi - lo || 1)) * (W - 2 * PAD);
  const bars = counts
    .map((c, i) => {
      // square-root heights: a ReLU spike at 0 does not flatten the rest of the distribution
      const h = Math.sqrt(c / max) * (H - 2 * PAD);
      return c > 0 ? `<rect class="bar" x="${(PAD + i * bw).toFixed(2)}" y="${(H - PAD - h).toFixed(2)}" width="${Math.max(0.5, bw - 0.3).toFixed(2)}" height="${h.toFixed(2)}" fill="#5b8def"><title>${c}</title></rect>` : '';
    })
    .join('');
  const lines = markers
    .map((m, k) => {
      const px = Math.min(W - PAD, Math.max(PAD, x(m.at)));
      return `<line x1="${px.toFixed(2)}" x2="${px.toFixed(2)}" y1="${PAD - 6}" y2="${H - PAD}" stroke="${m.color}" stroke-width="1.5" stroke-dasharray="${k % 2 ? '4 2' : ''}"/>`;
    })
    .join('');
  const legend = markers.map((m, k) => `<text x="${PAD + (k % 2) * 215}" y="${H + 14 + Math.floor(k / 2) * 13}" font-size="10" fill="${m.color}">${escapeHtml(`${m.label} ${m.at.toPrecision(5)}`)}</text>`).join('');
  const extra = Math.ceil(markers.length / 2) * 13 + 6;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + extra}" role="img" aria-label="${escapeHtml(title)}"><text x="${PAD}" y="14" font-size="12">${escapeHtml(title)} (sqrt count)</text>${bars}${lines}<line x1="${PAD}" x2="${W - PAD}" y1="${H - PAD}" y2="${H - PAD}" stroke="#333"/><text x="${PAD}" y="${H - PAD + 14}" font-size="10">${escapeHtml(lo.toPrecision(4))}</text><text x="${W - PAD}" y="${H - PAD + 14}" font-size="10" text-anchor="end">${escapeHtml(hi.toPrecision(4))}</text>${legend}</svg>`;
}

/** One bar per difference k (other - baseline), for each series (a scheme x accumulator). */
export function differencesSvg(title: string, series: readonly { readonly label: string; readonly histogram: Readonly<Record<string, number>> }[]): string {
  const ks = [...new Set(series.flatMap((s) => Object.keys(s.histogram).map(Number)))].sort((a, b) => a - b);
  const max = Math.max(1, ...series.flatMap((s) => Object.values(s.histogram)));
  const colors = ['#d9534f', '#5b8def', '#3a9e5b', '#c28f00', '#8e44ad', '#16a2b8'];
  const groupW = (W - 2 * PAD) / Math.max(1, ks.length);
  const barW = Math.max(1, (groupW - 4) / Math.max(1, series.length));
  const bars = ks
    .flatMap((k, i) =>
      series.map((s, j) => {
        const c = s.histogram[String(k)] ?? 0;
        const h = (Math.log10(1 + c) / Math.log10(1 + max)) * (H - 2 * PAD);
        return c ? `<rect class="bar" x="${(PAD + i * groupW + 2 + j * barW).toFixed(2)}" y="${(H - PAD - h).toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" fill="${colors[j % colors.length]}"><title>${escapeHtml(`${s.label}: k = ${k}: ${c}`)}</title></rect>` : '';
      }),
    )
    .join('');
  const labels = ks.map((k, i) => `<text x="${(PAD + (i + 0.5) * groupW).toFixed(2)}" y="${H - PAD + 14}" font-size="10" text-anchor="middle">${k > 0 ? '+' : ''}${k}</text>`).join('');
  const legend = series.map((s, j) => `<text x="${PAD}" y="${H + 10 + j * 13}" font-size="10" fill="${colors[j % colors.length]}">${escapeHtml(s.label)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 14 + series.length * 13}" role="img" aria-label="${escapeHtml(title)}"><text x="${PAD}" y="14" font-size="12">${escapeHtml(title)} (log count)</text>${bars}<line x1="${PAD}" x2="${W - PAD}" y1="${H - PAD}" y2="${H - PAD}" stroke="#333"/>${labels}${legend}</svg>`;
}
