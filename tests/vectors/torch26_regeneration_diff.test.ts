/**
 * `npm run vectors:check:torch26` names the cases a regeneration changed and accepts only the known ones: onednn
 * convs torch26-onednn does not claim (oneDNN 3.7 reads memory it never wrote there) whose committed outputs are
 * torch-onednn@2's. The regenerated answers are real torch 2.6 outputs recorded on an AMD EPYC (Zen 4) host
 * (tests/fixtures/torch26/onednn37_zen4_conv_outputs.json); the check itself (compareRegeneratedSet with
 * torch26KeptDeviation) runs here without the chroot. `npm run vectors:write:torch26` keeps those cases' committed lines
 * (keepKnownDeviations): a rewrite on that host wrote torch's wrong answers into the set before.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Manifest, TORCH26_VECTORS_DIR, type VectorCase, readVectorSet, sha256 } from '../../conformance/vectors/vector_set.js';
import { writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import type { WireTensor } from '../../contract/wire.js';
import { compareRegeneratedSet, keepKnownDeviations } from '../../conformance/vectors/regeneration_diff.js';
import { torch26KeptDeviation } from '../../conformance/backends/torch/torch26_kept_deviation.js';
import { torch26OnednnConvRefusal } from '../../conformance/backends/torch/torch26_builtins.js';

const FILE = 'quantized_conv2d.v1.jsonl';
const committedText = readFileSync(join(TORCH26_VECTORS_DIR, FILE), 'utf8');
const committed = committedText.trim().split('\n').map((l) => JSON.parse(l) as VectorCase);
const zen4 = JSON.parse(readFileSync('tests/fixtures/torch26/onednn37_zen4_conv_outputs.json', 'utf8')) as { outputs: Record<string, number[]> };

/** The committed file with some cases' conv outputs `y` replaced (and the rest of each case changed by `edit`). */
function withOutputs(outputs: Record<string, number[]>, edit: (c: VectorCase) => VectorCase = (c) => c): string {
  return committed.map((c) => {
    const values = outputs[c.id];
    if (!values) return JSON.stringify(c);
    const y = (c.expect as { outputs: { y: WireTensor } }).outputs.y;
    return JSON.stringify(edit({ ...c, expect: { outputs: { y: { ...y, values } as WireTensor } } }));
  }).join('\n') + '\n';
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
/** compareRegeneratedSet of `regenerated` against `committedFile` (the committed conv file unless given), with its log. */
function check(regenerated: string, committedFile = committedText): { code: number; log: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'qconform-torch26-diff-'));
  dirs.push(dir);
  writeFileSync(join(dir, FILE), committedFile);
  const log: string[] = [];
  const code = compareRegeneratedSet(dir, new Map([[FILE, regenerated]]), torch26KeptDeviation, (s) => log.push(s));
  return { code, log };
}
const replay = 'replay: npx vitest run tests/vectors/torch26_regeneration_diff.test.ts';

describe('vectors:check:torch26 on a regeneration that differs', () => {
  it('names the two onednn convs real torch 2.6 answered otherwise on a Zen 4 EPYC, with their elements, as known: exit 0', () => {
    const { code, log } = check(withOutputs(zen4.outputs));
    const text = log.join('\n');
    expect(code, `${text}\n${replay}`).toBe(0);
    expect(text).toContain(`${FILE}: 2 case(s) differ from the committed ones`);
    expect(text).toContain('quantized_conv2d-01851: y [1,4,3,1]: [7] 255 -> 0, [8] 255 -> 0 (2 of 12 elements)');
    expect(text).toContain('quantized_conv2d-02185: y [1,1,4,1]: [1] 0 -> 255, [2] 0 -> 255, [3] 0 -> 255 (3 of 4 elements)');
    expect(log.filter((l) => l.includes('known, committed outputs kept: torch-onednn@2 (impl) gives the committed outputs; torch26-onednn does not claim this conv: one output column'))).toHaveLength(2);
    expect(text).toContain('except the 2 case(s) above, whose oracle answers are not a function of their inputs');
    expect(text).not.toContain('differ:');
  });

  it('byte-identical: exit 0, as before', () => {
    expect(check(committedText)).toEqual({ code: 0, log: [`regenerated vectors are byte-identical to the committed ones in ${dirs.at(-1)}`] });
  });

  it('fails on a changed onednn conv that torch26-onednn claims, naming it', () => {
    const claimed = committed.find((c) => c.attrs.scheme === 'torch-onednn@2' && torch26OnednnConvRefusal(c) === null && 'outputs' in c.expect)!;
    const y = (claimed.expect as { outputs: { y: WireTensor } }).outputs.y as { shape: number[]; values: number[] };
    const values = [...y.values];
    values[0] = values[0] === 0 ? 1 : values[0]! - 1;
    const { code, log } = check(withOutputs({ ...zen4.outputs, [claimed.id]: values }));
    expect(code, `${claimed.id}\n${replay}`).toBe(1);
    expect(log).toContain(`  ${claimed.id}: y [${String(y.shape)}]: [0] ${y.values[0]} -> ${values[0]} (1 of ${values.length} elements)`);
    expect(log).toContain('    not explained');
    expect(log.at(-1)).toBe(`differ: ${FILE}`);
  });

  it('fails when the committed outputs of an unclaimed conv are not torch-onednn@2\'s', () => {
    // committed = what this host's torch gave, regenerated = the model's: the committed values are the wrong ones
    const { code, log } = check(committedText, withOutputs(zen4.outputs));
    expect(code, replay).toBe(1);
    expect(log.filter((l) => l === '    not explained')).toHaveLength(2);
  });

  it('fails when torch answers an unclaimed conv with an error, another shape or another dtype: only values may differ', () => {
    const ids = Object.keys(zen4.outputs);
    const variants: Array<[string, (c: VectorCase) => VectorCase]> = [
      ['an error', (c) => ({ ...c, expect: { error: { code: 'backend_failure' } } })],
      ['another shape', (c) => {
        const y = (c.expect as { outputs: { y: WireTensor } }).outputs.y as { shape: number[] };
        return { ...c, expect: { outputs: { y: { ...y, shape: [...y.shape.slice(0, -2), y.shape.at(-1)!, y.shape.at(-2)!] } as WireTensor } } }; // H and W swapped, the same values
      }],
      ['another dtype', (c) => {
        const y = (c.expect as { outputs: { y: WireTensor } }).outputs.y;
        return { ...c, expect: { outputs: { y: { ...y, dtype: 'qint8' } as WireTensor } } };
      }],
    ];
    for (const [what, edit] of variants) {
      const { code, log } = check(withOutputs(zen4.outputs, (c) => (ids.includes(c.id) ? edit(c) : c)));
      expect(code, `${what}\n${log.join('\n')}\n${replay}`).toBe(1);
      expect(log.filter((l) => l === '    not explained'), what).toHaveLength(2);
    }
  });

  it('fails when a request changed (the generator, not the oracle)', () => {
    const { code, log } = check(withOutputs(zen4.outputs, (c) => (c.id === 'quantized_conv2d-01851' ? { ...c, attrs: { ...c.attrs, y_zero_point: 1 } } : c)));
    expect(code, replay).toBe(1);
    expect(log).toContain('  quantized_conv2d-01851: the request itself differs (attrs or inputs): the generator changed');
  });
});

describe('vectors:write:torch26 on a host whose torch gives the known deviating answers', () => {
  /**
   * The rewrite path of vectors:write:torch26 on a copy of the committed set whose conv file regenerated as
   * `regenerated`: keepKnownDeviations, then the set written (writeOrCompareVectorSet) and read back as a run reads it
   * (readVectorSet: every file's sha256 against the manifest); the conv file written, and the log.
   */
  function rewrite(regenerated: string): { text: string; log: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-torch26-write-'));
    dirs.push(dir);
    cpSync(TORCH26_VECTORS_DIR, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const texts = new Map(manifest.files.map((f) => [f.path, f.path === FILE ? regenerated : readFileSync(join(dir, f.path), 'utf8')]));
    const files = manifest.files.map((f) => ({ ...f, sha256: sha256(texts.get(f.path)!) }));
    const log: string[] = [];
    const kept = keepKnownDeviations(dir, { texts, files }, torch26KeptDeviation, (s) => log.push(s));
    writeOrCompareVectorSet(dir, { manifest: { ...manifest, files: kept.files }, texts: kept.texts }, true, () => {});
    expect(() => readVectorSet(dir), 'the set written loads: its manifest hashes the files written').not.toThrow();
    return { text: readFileSync(join(dir, FILE), 'utf8'), log };
  }
  const replayWrite = 'replay: npx vitest run tests/vectors/torch26_regeneration_diff.test.ts -t vectors:write:torch26';

  it('keeps the committed lines of the two onednn convs real torch 2.6 answered otherwise on a Zen 4 EPYC, naming them: the set written is the committed one', () => {
    const { text, log } = rewrite(withOutputs(zen4.outputs));
    expect(text === committedText, replayWrite).toBe(true);
    expect(log).toHaveLength(2);
    expect(log[0]).toBe(`${FILE}: quantized_conv2d-01851: the oracle gave y [1,4,3,1]: [7] 255 -> 0, [8] 255 -> 0 (2 of 12 elements); committed outputs kept, not rewritten: torch-onednn@2 (impl) gives the committed outputs; torch26-onednn does not claim this conv: ${torch26OnednnConvRefusal(committed.find((c) => c.id === 'quantized_conv2d-01851')!)}`);
    expect(log[1]).toContain(`${FILE}: quantized_conv2d-02185: the oracle gave y [1,1,4,1]: [1] 0 -> 255, [2] 0 -> 255, [3] 0 -> 255 (3 of 4 elements); committed outputs kept`);
  });

  it('writes every other difference as regenerated (a claimed conv changed), still keeping the two', () => {
    const claimed = committed.find((c) => c.attrs.scheme === 'torch-onednn@2' && torch26OnednnConvRefusal(c) === null && 'outputs' in c.expect)!;
    const y = (claimed.expect as { outputs: { y: WireTensor } }).outputs.y as { values: number[] };
    const values = [...y.values];
    values[0] = values[0] === 0 ? 1 : values[0]! - 1;
    const { text, log } = rewrite(withOutputs({ ...zen4.outputs, [claimed.id]: values }));
    expect(text, replayWrite).toBe(withOutputs({ [claimed.id]: values }));
    expect(log.map((l) => l.split(':')[1]!.trim())).toEqual(['quantized_conv2d-01851', 'quantized_conv2d-02185']);
  });

  it('byte-identical: written as regenerated, nothing logged', () => {
    expect(rewrite(committedText)).toEqual({ text: committedText, log: [] });
  });
});
