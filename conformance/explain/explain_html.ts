/**
 * The explain page: one self-contained HTML file (inline SVG, inline CSS, no script) written from the same
 * ExplainResult as the console table and the JSON file. Per conv or linear layer: the stored qparams, the kernel's clamp
 * beside the qconfig's range, the observer and what became of it, each scheme's effective requantization, the
 * disagreement table, and two pictures: the output histogram with the observers' ranges (calibration histogram
 * too when the prepared model's observers were given) and the distribution of ±k differences.
 */
import { escapeHtml, htmlPage, htmlTable } from '../runner/reports/html_page.js';
import { carriedStepFate, carriedStepText, differingCombinations } from './console_table.js';
import type { ConvLayerReport, ExplainResult } from './explain_run.js';
import { differencesSvg, histogramSvg, type Marker } from './svg_charts.js';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(8));

function charts(l: ConvLayerReport): string {
  const [mm, hist] = l.observersOnData;
  const y = l.stored.y;
  const q = l.clamp.qconfig;
  const stored: Marker[] = [
    { at: (q.quantMin - y.zeroPoint) * y.scale, label: 'stored qparams: clip low', color: '#000' },
    { at: (q.quantMax - y.zeroPoint) * y.scale, label: 'stored qparams: clip high', color: '#000' },
  ];
  const onData: Marker[] = [
    ...stored,
    ...(mm ? [{ at: mm.clip[0], label: 'MinMax clip low', color: '#d9534f' }, { at: mm.clip[1], label: 'MinMax clip high', color: '#d9534f' }] : []),
    ...(hist ? [{ at: hist.clip[0], label: 'Histogram clip low', color: '#3a9e5b' }, { at: hist.clip[1], label: 'Histogram clip high', color: '#3a9e5b' }] : []),
    ...(mm ? [{ at: mm.minVal, label: 'data min', color: '#8e44ad' }, { at: mm.maxVal, label: 'data max', color: '#8e44ad' }] : []),
  ];
  const d = l.dataHistogram;
  const out = [histogramSvg(`${l.name}: float outputs on this input`, d.lo, d.hi, d.counts, onData)];
  const c = l.calibrationHistogram;
  if (c && l.observer) {
    out.push(
      histogramSvg(`${l.name}: calibration histogram (${l.observer.observer})`, c.lo, c.hi > c.lo ? c.hi : c.lo + 1, c.counts, [
        { at: l.observer.minVal[0]!, label: 'min_val', color: '#8e44ad' },
        { at: l.observer.maxVal[0]!, label: 'max_val', color: '#8e44ad' },
        ...stored,
      ]),
    );
  }
  const diff = differingCombinations(l).slice(0, 6);
  const series = [...diff.map((cmb) => ({ label: `${cmb.scheme} x ${cmb.accumulator}`, histogram: cmb.histogram })), ...(l.fakeQuant.differing ? [{ label: 'fake-quant model', histogram: l.fakeQuant.histogram }] : [])];
  out.push(series.length ? differencesSvg(`${l.name}: differences k from ${l.baseline}`, series) : `<p class="muted">No scheme, accumulator or fake-quant difference on this input.</p>`);
  return `<div class="charts">${out.join('')}</div>`;
}

function convSection(l: ConvLayerReport): string {
  const s = l.stored;
  const w = s.weight;
  const stored = htmlTable(
    ['tensor', 'dtype', 'scale', 'zero point', 'notes'],
    [
      ['input x', s.x.dtype, fmt(s.x.scale), s.x.zeroPoint, l.inputOrigin === 'generated' ? { html: `<span class="generated">GENERATED input (${escapeHtml(l.generatedBecause ?? 'the chain stopped before this layer')})</span>` } : `[${l.geometry.inputShape.join(', ')}]${l.otherBranch ? ` (${l.otherBranch})` : ''}`],
      ['output y', s.y.dtype, fmt(s.y.scale), s.y.zeroPoint, `[${l.geometry.outputShape.join(', ')}]`],
      ['weight', 'qint8', w.scales.length === 1 ? fmt(w.scales[0]!) : `${w.quantization}: ${w.scales.map(fmt).join(', ')}`, w.zeroPoints.length === 1 ? w.zeroPoints[0]! : w.zeroPoints.join(', '), `[${l.geometry.weightShape.join(', ')}], ints in [${w.min}, ${w.max}]`],
      ['bias', s.bias?.kind ?? 'none', '', '', s.bias ? `${s.bias.count} values` : ''],
    ],
  );
  const clamp = htmlTable(
    ['kernel clamps to', 'qconfig quant_min / quant_max', 'outputs at the low / high clamp', 'outputs above quant_max', 'what it means'],
    [[`[${l.clamp.kernel.join(', ')}]`, `[${l.clamp.qconfig.quantMin}, ${l.clamp.qconfig.quantMax}] (${l.clamp.qconfig.from})`, `${l.clamp.atLow} / ${l.clamp.atHigh}`, l.clamp.aboveQuantMax, l.clamp.note]],
  );
  const observers = [l.observer ? `<p><b>Activation observer</b> (${escapeHtml(l.observer.observer)}): ${escapeHtml(l.observer.fate)}</p>` : '', l.weightObserver ? `<p><b>Weight observer</b> (${escapeHtml(l.weightObserver.observer)}, ${escapeHtml(l.weightObserver.qscheme)}): ${escapeHtml(l.weightObserver.fate)}</p>` : ''].join('');
  const onData = htmlTable(
    ['observer on this input', 'scale', 'zero point', 'min_val', 'max_val', 'clip range'],
    l.observersOnData.map((o) => [o.observer, fmt(o.scale), o.zeroPoint, fmt(o.minVal), fmt(o.maxVal), `[${fmt(o.clip[0])}, ${fmt(o.clip[1])}]`]),
  );
  const requant = htmlTable(
    ['scheme', 'effective requantization (channel 0)', 'formula'],
    l.requantization.map((r) => [r.scheme, r.refused ? `refused: ${r.refused}` : Object.entries(r.params).map(([k, v]) => `${k} = ${v}`).join('; '), { html: `<code>${escapeHtml(r.formula)}</code>` }]),
  );
  const ran = l.combinations.filter((c) => c.refused === null);
  const runs = htmlTable(
    ['scheme x accumulator', 'differ', 'of', 'k histogram', 'causes', 'first difference (n, oc, oh, ow): baseline -> other'],
    ran.map((c) => [
      `${c.scheme} x ${c.accumulator}`,
      { html: String(c.differing), cls: c.differing ? 'fail' : 'pass' },
      c.total,
      Object.entries(c.histogram).map(([k, v]) => `${Number(k) > 0 ? '+' : ''}${k}: ${v}`).join(', '),
      Object.entries(c.causes).map(([k, v]) => `${k}: ${v}`).join(', ') + (c.unclassified ? `; ${c.unclassified} unclassified` : ''),
      c.first ? `(${c.first.position.n}, ${c.first.position.oc}, ${c.first.position.oh}, ${c.first.position.ow}) acc ${c.first.baselineAccumulator}${c.first.otherAccumulator !== c.first.baselineAccumulator ? ` / ${c.first.otherAccumulator}` : ''}: ${c.first.baseline} -> ${c.first.other} (${c.first.cause}; reference ${c.first.referenceAgrees ? 'agrees' : 'DISAGREES'})` : '',
    ]),
  );
  const refused = l.combinations.filter((c) => c.refused !== null);
  const fq = l.fakeQuant;
  return `<section class="layer" id="${escapeHtml(l.name)}"><h2>${escapeHtml(l.name)} <span class="muted">${escapeHtml(l.source)}</span></h2>
${l.geometry.linear ? '<p class="muted">A linear layer, analysed as the 1x1 conv over the rows it is (x [N, F] as [N, F, 1, 1], weight [OC, F] as [OC, F, 1, 1]): positions (n, oc, oh, ow) below are (row, output feature, 0, 0).</p>\n' : ''}<h3>Stored quantization parameters</h3>${stored}
<h3>Clamp range</h3>${clamp}${observers}${onData}
${charts(l)}
<h3>Effective requantization per scheme</h3>${requant}
<h3>Disagreement on this input (baseline ${escapeHtml(l.baseline)})</h3>${runs}
<p class="muted">${refused.length} scheme x accumulator combinations refuse this layer (the contract's rules: activation dtype, bias kind, weight zero points, kernel geometry).</p>
<p><b>Fake-quant model</b>: ${fq.differing} of ${fq.total} outputs differ from the converted layer on the same input (clamp range ${fq.clampRange}, float rounding ${fq.floatRounding})${fq.chainedDiffering !== null ? `; ${fq.chainedDiffering} along its own chain` : ''}.</p></section>`;
}

export function explainHtml(r: ExplainResult): string {
  const convs = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
  const summary = htmlTable(
    ['step', 'kind', 'schemes differing', 'most outputs differing', 'fake-quant differs'],
    r.steps.map((s) => {
      if (s.kind !== 'conv2d') return [s.name, s.kind === 'not_modelled' ? `${s.opType}: not modelled (${s.reason})` : s.kind === 'maxpool2d' || s.kind === 'flatten' ? (s.idle ? `${s.kind} ${carriedStepFate(s)}` : s.kind) : carriedStepText(s), '', '', ''];
      const d = differingCombinations(s);
      return [{ html: `<a href="#${escapeHtml(s.name)}">${escapeHtml(s.name)}</a>` }, s.source, `${d.length} of ${s.combinations.filter((c) => c.refused === null).length}`, d[0] ? `${d[0].differing} / ${d[0].total} (${d[0].scheme} x ${d[0].accumulator})` : '0', `${s.fakeQuant.differing} / ${s.fakeQuant.total}`];
    }),
    'summary',
  );
  const parts = r.fakeQuantPartsAt ? `The fake-quant model and the converted model first part at <b>${escapeHtml(r.fakeQuantPartsAt.layer)}</b>: ${r.fakeQuantPartsAt.differing} of ${r.fakeQuantPartsAt.total} outputs differ.` : 'The fake-quant model and the converted model agree on every modelled layer of this input.';
  const body = `<h1>qconform explain: ${escapeHtml(r.model.path)}</h1>
<p>${escapeHtml(r.model.format)}; the converted model runs <code>${escapeHtml(r.model.nativeScheme)}</code>. ${r.model.notes.map(escapeHtml).join('. ')}.</p>
<p class="${r.input.origin === 'generated' ? 'generated' : ''}">Input: ${escapeHtml(r.input.description)}</p>
<p>${parts}</p>
${summary}
${convs.map(convSection).join('\n')}
<p class="muted">Written by qconform explain (${escapeHtml(r.format)}); the same data is in --json.</p>`;
  return htmlPage(`qconform explain ${r.model.path}`, body);
}
