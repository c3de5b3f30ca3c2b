/**
 * impl/ is compared bit for bit with reference/, so it must not share its arithmetic: no file under
 * impl/ may import, re-export, require or dynamically import anything under reference/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, importsInto, tsFilesUnder } from '../support/import_specifiers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const IMPL_DIR = join(ROOT, 'impl');
const REFERENCE_DIR = join(ROOT, 'reference');

describe('the import scanner', () => {
  const file = join(IMPL_DIR, 'observers', 'synthetic.ts');
  const source = [
    '// a comment: import { x } from "../../reference/index.js"',
    "import { reference } from '../../reference/index.js';",
    "import type { IeeeValue } from '../../reference/exact/ieee_value.js';",
    'import {',
    '  f32Add,',
    "} from '../float32.js';",
    "export { quantizeVal } from '../../reference/ops/quantize_val.js';",
    "import '../../reference/constants.js';",
    "const lazy = await import('../../reference/ops/quantize.js');",
    "const old = require('../../reference/values.js');",
    "import { calculateQminQmax } from '../../contract/qrange.js';",
    "import { readFileSync } from 'node:fs';",
  ].join('\n');

  it('finds every kind of specifier, outside comments', () => {
    expect(importSpecifiers(source).sort()).toEqual(
      [
        '../../reference/index.js',
        '../../reference/exact/ieee_value.js',
        '../float32.js',
        '../../reference/ops/quantize_val.js',
        '../../reference/constants.js',
        '../../reference/ops/quantize.js',
        '../../reference/values.js',
        '../../contract/qrange.js',
        'node:fs',
      ].sort(),
    );
  });

  it('flags exactly the specifiers that resolve into reference/', () => {
    expect(importsInto(file, source, REFERENCE_DIR)).toEqual([
      '../../reference/index.js',
      '../../reference/exact/ieee_value.js',
      '../../reference/ops/quantize_val.js',
      '../../reference/constants.js',
      '../../reference/ops/quantize.js',
      '../../reference/values.js',
    ]);
  });

  it('resolves against the importing file, not by name', () => {
    expect(importsInto(join(IMPL_DIR, 'x.ts'), "import { a } from '../reference/a.js';", REFERENCE_DIR)).toEqual(['../reference/a.js']);
    expect(importsInto(join(IMPL_DIR, 'x.ts'), "import { a } from './reference/a.js';", REFERENCE_DIR)).toEqual([]);
  });
});

describe('impl/ never imports reference/', () => {
  const files = tsFilesUnder(IMPL_DIR);

  it('scans every .ts file under impl/, nested directories included', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.some((f) => relative(IMPL_DIR, f).includes('/'))).toBe(true);
    expect(files.flatMap((f) => importSpecifiers(readFileSync(f, 'utf8'))).length).toBeGreaterThan(files.length);
  });

  it('has no specifier that resolves into reference/', () => {
    const offending = files.flatMap((f) => importsInto(f, readFileSync(f, 'utf8'), REFERENCE_DIR).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(offending).toEqual([]);
  });
});
