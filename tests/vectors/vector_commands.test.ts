/**
 * `qconform vectors check --dir` on a set another generator wrote (ORT, xnnpack, torch 2.6, the imported ONNX node
 * tests) verifies its manifest, hashes and schema and names that set's own check, exit 0, instead of failing a valid
 * set with "generator version 2 cannot regenerate vectors made by version 1"; `vectors generate --dir` a folder with no
 * set is refused at once (exit 2), not after minutes of torch ending in "differ: <every file>".
 */
import { describe, expect, it } from 'vitest';
import { checkVectors, generateVectors } from '../../conformance/vectors/vector_commands.js';
import { captureConsole } from '../support/console_capture.js';

const printed = captureConsole();

describe('qconform vectors on other sets', () => {
  it.each([
    ['vectors/onnxruntime-1.30', 'npm run vectors:check:ort'],
    ['vectors/xnnpack-2022', 'npm run vectors:check:xnnpack'],
    ['vectors/torch-2.6', 'npm run vectors:check:torch26'],
    ['vectors/onnx-testdata-1.12', 'npm run vectors:check:onnx-testdata'],
  ])('check --dir %s: manifest, sha256 and schema OK, its own check named, exit 0', async (dir, ownCheck) => {
    expect(await checkVectors({ dir, oracle: false })).toBe(0);
    expect(printed.out.join('\n')).toMatch(/manifest, sha256 and schema OK: \d+ files, \d+ cases/);
    expect(printed.out.join('\n')).toContain(`this set's own check is \`${ownCheck}\``);
    expect(printed.err).toEqual([]);
  });

  it('check --dir vectors/torch-1.13 still regenerates its requests', async () => {
    expect(await checkVectors({ dir: 'vectors/torch-1.13', oracle: false })).toBe(0);
    expect(printed.out.join('\n')).toContain('requests regenerate byte-identically from seed');
  });

  it('generate --dir a folder with no set: refused at once, exit 2', async () => {
    expect(await generateVectors({ seed: 'x', dir: '/nonexistent/qconform-vectors' })).toBe(2);
    expect(printed.err.join('\n')).toContain('no vector set to compare with at /nonexistent/qconform-vectors (no manifest.json there); --write creates one');
  });
});
