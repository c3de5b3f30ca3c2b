/**
 * npx tsx scripts/oracle/torch26_amx_conv_probe.ts [N [SEED]] (as root, after npm run setup:torch26): why torch 2.6's
 * onednn convs (torch-onednn@2) that oneDNN 3.7 reads unwritten memory on are not claimed
 * (torch26_builtins.ts torch26OnednnConvRefusal, onednn37_unwritten_reads.ts).
 *
 * Draws N onednn convs as vectors/torch-2.6 does (conv_cases.ts torchOnednnConvCase, as torch-onednn@2), or reads the
 * requests of a JSONL file given as N (e.g. vectors/torch-2.6/quantized_conv2d.v1.jsonl, its onednn convs), and runs each
 * through real torch 2.6 in a fresh forked child (scripts/oracle/torch26_amx_conv_probe.py) three times: as the
 * built-in runs it, and under glibc's MALLOC_PERTURB_=85 and =170 (every malloc'd byte not written since is 0xaa resp.
 * 0x55; mmap threshold raised so the big buffers come from the heap too). It compares every run with impl's
 * torch-onednn@2 and prints, per oneDNN implementation (ONEDNN_VERBOSE), how many convs agree, differ with the same
 * outputs in all three runs, or differ with outputs that change with the allocator's leftovers: a kernel that reads
 * memory it never wrote, which no model of the inputs can reproduce. ONEDNN_MAX_CPU_ISA=... in the environment is
 * passed to torch. Writes the differing cases (request, the three outputs, impl's) to reports/torch26_amx_conv_probe.jsonl,
 * counts them against onednn37UnwrittenReads (the convs torch26-onednn leaves out) and exits 1 when a
 * differing conv is outside that rule.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { torchOnednnConvCase } from '../../conformance/cases/conv_cases.js';
import { onednnV2 } from '../../conformance/cases/torch26_catalog.js';
import { TORCH26_ATEN_CAPABILITY, TORCH26_ROOT, torch26Availability } from '../../conformance/backends/torch/torch26_chroot.js';
import { impl } from '../../impl/index.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { onednn37UnwrittenReadsOf } from '../../conformance/backends/torch/onednn37_unwritten_reads.js';

const [countOrFile = '400', seed = 'amx-probe-1'] = process.argv.slice(2);
const available = torch26Availability();
if (!available.available) {
  console.error(`torch 2.6: ${available.reason}; set it up with: ${available.install}`);
  process.exit(2);
}
const requests: WireRequest[] = existsSync(countOrFile)
  ? readFileSync(countOrFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as WireRequest).filter((r) => r.op === 'quantized_conv2d@1' && r.attrs?.scheme === 'torch-onednn@2').map(({ expect: _e, ...r }: WireRequest & { expect?: unknown }) => r)
  : generateRequests('quantized_conv2d@1', Number(countOrFile), torchOnednnConvCase, seed).map(onednnV2);

const here = dirname(fileURLToPath(import.meta.url));
copyFileSync(join(here, 'torch26_amx_conv_probe.py'), join(TORCH26_ROOT, 'tmp', 'torch26_amx_conv_probe.py'));
const runner = join(here, '..', '..', 'conformance', 'backends', 'torch', 'run_in_torch26_chroot.sh');
const isa = process.env.ONEDNN_MAX_CPU_ISA ? [`ONEDNN_MAX_CPU_ISA=${process.env.ONEDNN_MAX_CPU_ISA}`] : [];
interface Probed { id: string; y: number[] | null; error?: string; impl: string[] }
function probe(env: string[]): Probed[] {
  const run = spawnSync(runner, [TORCH26_ROOT, '--', '/usr/bin/env', 'ONEDNN_VERBOSE=1', ...isa, ...env, `ATEN_CPU_CAPABILITY=${TORCH26_ATEN_CAPABILITY}`, '/usr/bin/python3', '/tmp/torch26_amx_conv_probe.py'], { input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`torch 2.6 probe failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Probed);
}
const BIG_HEAP = 'GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432';
const runs = [probe([]), probe(['MALLOC_PERTURB_=85', BIG_HEAP]), probe(['MALLOC_PERTURB_=170', BIG_HEAP])];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const byImpl = new Map<string, { agree: number; stableDiffer: number; leftoverDiffer: number; errors: number }>();
const differing: string[] = [];
const all: string[] = [];
/** against onednn37UnwrittenReads (the convs torch26-onednn leaves out): a differing conv outside it is a miss */
const ruleCounts: Record<string, number> = { 'differ, outside the rule': 0, 'differ, within the rule': 0, 'agree, within the rule': 0, 'agree, outside the rule': 0 };
requests.forEach((req, i) => {
  const model = evaluateRequest(impl, req);
  const ys = runs.map((r) => r[i]!.y);
  const name = runs[0]![i]!.impl.join('+') || '(none)';
  const row = byImpl.get(name) ?? { agree: 0, stableDiffer: 0, leftoverDiffer: 0, errors: 0 };
  byImpl.set(name, row);
  if (!('outputs' in model) || ys[0] === null) {
    row.errors++;
    return;
  }
  const want = (model.outputs.y as { values: number[] }).values;
  const agree = ys.every((y) => same(y, want));
  const rule = onednn37UnwrittenReadsOf(req) !== null;
  const shapeOf = (t: unknown) => (t as { shape?: number[] } | undefined)?.shape;
  all.push(JSON.stringify({ id: req.id, attrs: req.attrs, x: shapeOf(req.inputs?.x), weight: shapeOf(req.inputs?.weight), impl: name, agree, stable: ys.every((y) => same(y, ys[0])), rule }));
  const key = `${agree ? 'agree' : 'differ'}, ${rule ? 'within' : 'outside'} the rule`;
  ruleCounts[key] = (ruleCounts[key] ?? 0) + 1;
  if (agree) row.agree++;
  else {
    const stable = ys.every((y) => same(y, ys[0]));
    if (stable) row.stableDiffer++;
    else row.leftoverDiffer++;
    differing.push(JSON.stringify({ request: req, impl: name, stable, torch: ys, model: want }));
  }
});
mkdirSync('reports', { recursive: true });
writeFileSync('reports/torch26_amx_conv_probe.jsonl', differing.join('\n') + (differing.length ? '\n' : ''));
writeFileSync('reports/torch26_amx_conv_probe.all.jsonl', all.join('\n') + '\n');
console.log(`${requests.length} onednn convs (${existsSync(countOrFile) ? countOrFile : `seed ${seed}`}${isa.length ? `, ${isa[0]}` : ''}) through torch 2.6, three runs each (plain, MALLOC_PERTURB_=85, =170):`);
for (const [name, r] of [...byImpl].sort()) console.log(`  ${name}: ${r.agree} agree with impl, ${r.stableDiffer} differ (same outputs in all runs), ${r.leftoverDiffer} differ with outputs that follow the allocator's leftovers, ${r.errors} errors`);
console.log(`against onednn37_unwritten_reads.ts: ${Object.entries(ruleCounts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
console.log(`${differing.length} differing convs written to reports/torch26_amx_conv_probe.jsonl, every valid conv to reports/torch26_amx_conv_probe.all.jsonl`);
if (ruleCounts['differ, outside the rule']! > 0) process.exitCode = 1;
