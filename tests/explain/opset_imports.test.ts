/**
 * `qconform explain` reads a model's opset imports as ONNX Runtime 1.30 does (conformance/explain/onnx_opset_imports.ts),
 * checked against onnxruntime-node 1.30 loading (and running) each model, the QDQ conv of tests/support/explain_qdq_model.ts
 * (ai.onnx nodes of opset 10 and later) with other imports:
 *   - refused as ORT refuses it when it loads it, quoting ORT: no import at all; an import above the last opset ORT
 *     supports of a domain it knows (ai.onnx 27, ai.onnx.ml 6, com.microsoft 2, ...), duplicated or not, first or not;
 *     an ai.onnx opset below the ops' (9, 0, -1: ORT warns, then has no QuantizeLinear there);
 *   - read as ORT reads it: the last of duplicated entries ('ai.onnx' and '' are one domain), an 'ai.onnx' alias import
 *     above 26 (ORT checks '' only), a version as a 32-bit int (2^32 + 13 is 13), a domain the model does not import at
 *     ORT's own opset (ai.onnx 26, ai.onnx.ml 5), an unknown domain at any opset.
 * The opset is told by a node whose verdict changes with it: Gelu (ai.onnx from 20), Upsample (deprecated from 10).
 * Before, explain checked no import: each refused model was analysed, and a node was read at no opset where the model
 * does not import its domain, and at 4294967309 for 2^32 + 13.
 * Replay one case: npx vitest run tests/explain/opset_imports.test.ts -t '<case name>'
 */
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { type QdqExtras, qdqModelWith } from '../support/explain_qdq_model.js';
import { expectReadRefusalQuoting, ortRunError } from '../support/ort_load_verdicts.js';

type Opsets = NonNullable<QdqExtras['opsets']>;
const gelu = { opType: 'Gelu', input: ['y0'], output: ['y'], name: 'gelu' };
const upsample = { opType: 'Upsample', input: ['y0', 'scales'], output: ['y'], name: 'up' };
const scales = { name: 'scales', dims: [4], dataType: 1, floatData: [1, 1, 2, 2] };
const withGelu = (opsets: Opsets) => qdqModelWith({ after: [gelu], opsets });
/** 2^32 + v as an int64 (low and high words) */
const big = (v: number) => ({ low: v, high: 1, unsigned: false });

const MISSING = 'Missing opset in the model. All ModelProtos MUST have at least one entry that specifies which version of the ONNX OperatorSet is being imported.';
const above = (domain: string, last: number) => `Current official support for domain ${domain} is till opset ${last}.`;
const aboveWhy = (domain: string, v: number, last: number) => `the model imports ${domain} at opset ${v}, above ${last}, the last ONNX Runtime 1.30 supports`;

/** [case, model, ORT 1.30's message (explain quotes it), explain's words] */
const REFUSED: ReadonlyArray<readonly [string, Uint8Array, string, string]> = [
  ['no opset import', qdqModelWith({ opsets: [] }), MISSING, 'the model imports no opset'],
  ['ai.onnx 27', qdqModelWith({ opsets: [['', 27]] }), above('ai.onnx', 26), aboveWhy('ai.onnx', 27, 26)],
  ['ai.onnx 13, then 100', qdqModelWith({ opsets: [['', 13], ['', 100]] }), above('ai.onnx', 26), aboveWhy('ai.onnx', 100, 26)],
  ['ai.onnx 100, then 13 (the one ORT runs)', qdqModelWith({ opsets: [['', 100], ['', 13]] }), above('ai.onnx', 26), aboveWhy('ai.onnx', 100, 26)],
  ['ai.onnx 2^32 + 100 (a 32-bit 100)', qdqModelWith({ opsets: [['', big(100)]] }), above('ai.onnx', 26), aboveWhy('ai.onnx', 100, 26)],
  ['com.microsoft 2 before ai.onnx 100: the first', qdqModelWith({ opsets: [['com.microsoft', 2], ['', 100]] }), above('com.microsoft', 1), aboveWhy('com.microsoft', 2, 1)],
  ...([['ai.onnx.ml', 5], ['com.microsoft', 1], ['com.microsoft.nchwc', 1], ['ai.onnx.training', 1], ['ai.onnx.preview', 1], ['ai.onnx.preview.training', 1], ['com.microsoft.experimental', 1], ['org.pytorch.aten', 1], ['com.ms.internal.nhwc', 26]] as const).map(
    ([d, last]) => [`${d} ${last + 1}`, qdqModelWith({ opsets: [['', 13], [d, last + 1]] }), above(d, last), aboveWhy(d, last + 1, last)] as const,
  ),
  ['ai.onnx 9: no QuantizeLinear (from 10)', qdqModelWith({ opsets: [['', 9]] }), 'No Op registered for QuantizeLinear with domain_version of 9', 'QuantizeLinear node QuantizeLinear_0: QuantizeLinear is no op of ai.onnx opset 9 that ONNX Runtime 1.30 has'],
  ['ai.onnx 0', qdqModelWith({ opsets: [['', 0]] }), 'No Op registered for QuantizeLinear with domain_version of 0', 'QuantizeLinear node QuantizeLinear_0: QuantizeLinear is no op of ai.onnx opset 0 that ONNX Runtime 1.30 has'],
  ['ai.onnx -1', qdqModelWith({ opsets: [['', -1]] }), 'No Op registered for QuantizeLinear with domain_version of -1', 'QuantizeLinear node QuantizeLinear_0: QuantizeLinear is no op of ai.onnx opset -1 that ONNX Runtime 1.30 has'],
  ['ai.onnx 20, then 19: Gelu at 19', withGelu([['', 20], ['', 19]]), 'No Op registered for Gelu with domain_version of 19', 'Gelu node gelu: Gelu is no op of ai.onnx opset 19 that ONNX Runtime 1.30 has'],
  ['"ai.onnx" 20, then "" 19: Gelu at 19', withGelu([['ai.onnx', 20], ['', 19]]), 'No Op registered for Gelu with domain_version of 19', 'Gelu node gelu: Gelu is no op of ai.onnx opset 19 that ONNX Runtime 1.30 has'],
  ['ai.onnx 2^32 + 19: Gelu at 19', withGelu([['', big(19)]]), 'No Op registered for Gelu with domain_version of 19', 'Gelu node gelu: Gelu is no op of ai.onnx opset 19 that ONNX Runtime 1.30 has'],
  ['no ai.onnx import: Upsample at ORT\'s 26', qdqModelWith({ after: [upsample], inits: [scales], opsets: [['com.microsoft', 1]] }), 'Op registered for Upsample is deprecated in domain_version of 26', 'Upsample node up: Upsample is deprecated at ai.onnx opset 26'],
  ['no ai.onnx.ml import: an ai.onnx.ml NoSuchOp at ORT\'s 5', qdqModelWith({ after: [{ opType: 'NoSuchOp', domain: 'ai.onnx.ml', input: ['y0'], output: ['y'], name: 'nso' }] }), 'No Op registered for NoSuchOp with domain_version of 5', 'NoSuchOp node nso: NoSuchOp is no op of ai.onnx.ml opset 5 that ONNX Runtime 1.30 has'],
];

describe('opset imports ORT 1.30 refuses: explain refuses the model, quoting ORT', () => {
  for (const [name, bytes, ort, why] of REFUSED) {
    it(name, async () => {
      expect(await ortRunError(bytes), 'ORT 1.30 live refuses it when it loads it').toContain(ort);
      expectReadRefusalQuoting(bytes, why, ort, `replay: npx vitest run tests/explain/opset_imports.test.ts -t '${name}'`);
    });
  }
});

/** [case, model, the steps explain reads] */
const RUN: ReadonlyArray<readonly [string, Uint8Array, readonly string[]]> = [
  ['"ai.onnx" 27 (ORT checks the "" import only)', qdqModelWith({ opsets: [['ai.onnx', 27]] }), ['conv2d']],
  ['ai.onnx 19, then 20: Gelu at 20', withGelu([['', 19], ['', 20]]), ['conv2d', 'not_modelled']],
  ['"" 19, then "ai.onnx" 20: Gelu at 20', withGelu([['', 19], ['ai.onnx', 20]]), ['conv2d', 'not_modelled']],
  ['ai.onnx 2^32 + 20: Gelu at 20', withGelu([['', big(20)]]), ['conv2d', 'not_modelled']],
  ['ai.onnx 2^32 + 13', qdqModelWith({ opsets: [['', big(13)]] }), ['conv2d']],
  ['no ai.onnx import: Gelu at ORT\'s 26', withGelu([['com.microsoft', 1]]), ['conv2d', 'not_modelled']],
  ['no com.microsoft import: a com.microsoft QuickGelu at ORT\'s 1', qdqModelWith({ after: [{ opType: 'QuickGelu', domain: 'com.microsoft', input: ['y0'], output: ['y'], name: 'qg' }] }), ['conv2d', 'not_modelled']],
  ['a duplicated com.microsoft 0, then 1', qdqModelWith({ opsets: [['', 13], ['com.microsoft', 0], ['com.microsoft', 1]] }), ['conv2d']],
  ['foo.bar 1000 (a domain ORT does not know)', qdqModelWith({ opsets: [['', 13], ['foo.bar', 1000]] }), ['conv2d']],
];

describe('opset imports ORT 1.30 runs: explain reads the model at ORT\'s opsets', () => {
  for (const [name, bytes, kinds] of RUN) {
    it(name, async () => {
      expect(await ortRunError(bytes), 'ORT 1.30 live loads and runs it').toBeNull();
      expect(readOnnxModel('m.onnx', bytes).steps.map((s) => s.kind), `replay: npx vitest run tests/explain/opset_imports.test.ts -t '${name}'`).toEqual(kinds);
    });
  }
});
