/**
 * A real browser checks qconform's HTML pages (run by .ci/run): the explain pages of the example model (ONNX and
 * TorchScript) and a `qconform run --html` report are written by the CLI, rendered by Debian's headless
 * Chromium (apt-get install -y chromium), and their rendered DOM (--dump-dom) must hold the tables' text and
 * non-empty SVG charts. A screenshot of each page is kept as a CI artifact:
 *   reports/artifacts/browser/<page>.html, <page>.png (and <page>.dom.html, what the browser rendered)
 * Exit 0 when every page passes, 1 otherwise (each failed check printed), 3 when chromium is not installed.
 *   npx tsx scripts/ci/browser_check.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUT = resolve('reports/artifacts/browser');
const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);

interface Page {
  readonly name: string;
  /** qconform arguments that write the page (the output path is appended) */
  readonly args: readonly string[];
  readonly exitCode: number;
  /** text that must be on the rendered page */
  readonly texts: readonly string[];
  /** at least this many SVGs with bars */
  readonly minCharts: number;
}

const PAGES: readonly Page[] = [
  {
    name: 'explain-onnx',
    args: ['explain', 'examples/quantized_cnn/model.onnx', '--input', 'examples/quantized_cnn/input.npy', '--html'],
    exitCode: 0,
    texts: ['Stored quantization parameters', 'Effective requantization per scheme', 'onnxruntime@1', '/conv1/Conv', '/fc/Gemm', 'QDQ Gemm', 'kernel clamps to', 'MinMaxObserver', 'HistogramObserver'],
    minCharts: 3,
  },
  {
    name: 'explain-torchscript',
    args: ['explain', 'examples/quantized_cnn/model.pt', '--observers', 'examples/quantized_cnn/observers.pt', '--input', 'examples/quantized_cnn/input.npy', '--engine', 'qnnpack', '--html'],
    exitCode: 0,
    texts: ['conv1', 'torch QuantizedConvReLU2d', 'torch QuantizedLinear', 'qconfig quant_min / quant_max', '[0, 127] (observer)', 'calibration histogram', 'torch-qnnpack@1', 'fake-quant'],
    minCharts: 6,
  },
  {
    // a backend that rounds ties up (the test suite's fixture): the run fails (exit 1) and the page lists its cases
    name: 'run-report',
    args: ['run', '--backend', './tests/fixtures/backends/round_half_up_backend.ts', '--op', 'quantize_per_tensor', '--html'],
    exitCode: 1,
    texts: ['op x scheme x verdict', 'quantize_per_tensor@1', 'FAILED', 'Cases that did not pass', '[tie]', '--backend ./tests/fixtures/backends/round_half_up_backend.ts --vectors', 'Run info', 'backend_cpu'],
    minCharts: 0,
  },
];

function check(page: Page): string[] {
  const html = join(OUT, `${page.name}.html`);
  const cli = spawnSync('npx', ['tsx', 'conformance/cli/main.ts', ...page.args, html], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (cli.status !== page.exitCode) return [`qconform ${page.args.join(' ')} exited ${cli.status}: ${cli.stderr.slice(-2000)}`];
  const url = `file://${html}`;
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];
  const dom = spawnSync(CHROMIUM!, [...flags, '--dump-dom', url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (dom.status !== 0 || !dom.stdout.includes('</html>')) return [`chromium --dump-dom failed (exit ${dom.status}): ${dom.stderr.slice(-1000)}`];
  writeFileSync(join(OUT, `${page.name}.dom.html`), dom.stdout);
  const problems: string[] = [];
  const text = dom.stdout.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
  for (const t of page.texts) if (!text.includes(t)) problems.push(`the rendered page lacks "${t}"`);
  if (!/<table[\s>]/.test(dom.stdout) || !/<td[\s>]/.test(dom.stdout)) problems.push('the rendered page has no table cells');
  const svgs = dom.stdout.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  const charts = svgs.filter((s) => /<rect class="bar"[^>]*height="(?!0(\.0+)?")/.test(s)).length;
  if (charts < page.minCharts) problems.push(`${charts} non-empty SVG charts rendered, at least ${page.minCharts} expected (of ${svgs.length} SVGs)`);
  const png = join(OUT, `${page.name}.png`);
  spawnSync(CHROMIUM!, [...flags, `--screenshot=${png}`, '--window-size=1400,3000', url], { encoding: 'utf8', timeout: 120_000 });
  if (!existsSync(png) || statSync(png).size < 10_000) problems.push(`no screenshot at ${png}`);
  return problems;
}

if (!CHROMIUM) {
  console.error('chromium is not installed: apt-get install -y chromium');
  process.exit(3);
}
mkdirSync(OUT, { recursive: true });
let failed = 0;
for (const page of PAGES) {
  const problems = check(page);
  failed += problems.length ? 1 : 0;
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${page.name}: ${join(OUT, `${page.name}.png`)}${problems.map((p) => `\n     ${p}`).join('')}`);
}
process.exit(failed ? 1 : 0);
