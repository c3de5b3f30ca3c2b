/**
 * Measures which op types ONNX Runtime (onnxruntime-node, CPU execution provider) runs in each domain it has kernels
 * in, at each opset version, and what it says when it refuses a node for its op type; writes (`--write`) or compares
 * with (default) conformance/explain/ort_op_catalog.ts, which `qconform explain` refuses models with (ort_op_types.ts).
 *   npx tsx scripts/explain/ort_op_types.ts [--write]
 *   npx tsx scripts/explain/ort_op_types.ts --print --ops Relu,Upsample     (those candidates only, printed)
 * How (each step loads one-node models, node `n` reading float graph inputs without a shape):
 *   1. the op types: every identifier in ORT's own library (libonnxruntime.so: a schema's name is a string there, maybe
 *      the tail of a longer one, so every suffix from an upper-case letter) that ORT does not refuse as unknown in the
 *      domain ("No Op registered for <op>" in ai.onnx and ai.onnx.ml, "<domain>:<op>(-1) is not a registered
 *      function/op" in com.microsoft and com.microsoft.nchwc), at the opsets DISCOVERY names;
 *   2. each op type at each opset of VERSIONS: ORT's refusal for the op type (no schema at that opset, a deprecated one,
 *      no kernel), else null.
 *      An input count ORT refuses is retried with the least it takes; "Could not find an implementation" on float
 *      inputs is retried with every other ONNX element type, and is the op's refusal only when none gets past it (a
 *      type ORT's type inference refuses has no kernel to find; float16, which ORT casts to float32, tells nothing).
 *      null means that ORT did not refuse the one-node model for its op type: it may have refused it for something
 *      else first (a required attribute, its inputs), so that no kernel was looked for (explain then does not refuse).
 * The refusals are ORT's text with the opset as {v} and the node's name as {name}.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadOrt, ortVersion } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { DISCOVERY, FLOAT, UNKNOWN_OP, VERSIONS, candidates, loadError, model, measuredRefusal, unknownIn, verdict } from '../../conformance/explain/ort_op_measure.js';

const CATALOG = 'conformance/explain/ort_op_catalog.ts';
const loaded = await loadOrt();
if (!loaded) throw new Error('onnxruntime-node is not installed (npm install)');
const ort = loaded;

type Table = Record<string, Record<string, Array<[number, string | null]>>>;

async function measure(): Promise<{ table: Table; unknown: Record<string, string> }> {
  const only = process.argv.indexOf('--ops');
  const names = only >= 0 ? process.argv[only + 1]!.split(',') : candidates();
  const table: Table = {};
  const unknown: Record<string, string> = {};
  for (const [domain, [lo, hi]] of Object.entries(VERSIONS)) {
    const found: string[] = [];
    for (const op of names) {
      for (const v of DISCOVERY[domain]!) {
        if (!unknownIn(domain, await loadError(ort, model(domain, op, v, 1, FLOAT)), op)) {
          found.push(op);
          break;
        }
      }
    }
    process.stderr.write(`${domain || 'ai.onnx'}: ${found.length} op types of ${names.length} candidates\n`);
    const ops: Record<string, Array<[number, string | null]>> = {};
    for (const op of found) {
      const ranges: Array<[number, string | null]> = [];
      for (let v = lo; v <= hi; v++) {
        const r = await verdict(ort, domain, op, v);
        if (!ranges.length || ranges[ranges.length - 1]![1] !== r) ranges.push([v, r]);
      }
      ops[op] = ranges;
    }
    table[domain] = ops;
    const u = measuredRefusal(await loadError(ort, model(domain, UNKNOWN_OP, hi, 1, FLOAT)), hi);
    if (!u) throw new Error(`ORT took the op type ${UNKNOWN_OP} in ${domain || 'ai.onnx'}`);
    unknown[domain] = u.replaceAll(UNKNOWN_OP, '{op}');
  }
  return { table, unknown };
}

function render({ table, unknown }: { table: Table; unknown: Record<string, string> }): string {
  const q = (s: string | null) => (s === null ? 'null' : JSON.stringify(s));
  const lines = [
    '/**',
    ` * The op types ONNX Runtime ${ortVersion()} (onnxruntime-node, CPU execution provider) runs in each domain it has kernels in, by`,
    ' * opset, and its refusal of a node of any other: MEASURED by scripts/explain/ort_op_types.ts (do not edit; rerun it with',
    ' * --write), used by ort_op_types.ts. For each domain (\'\' is ai.onnx) and op type, [from opset, refusal] in ascending',
    ' * opsets: from that opset on (the first entry also below it, the last also above it) ORT refuses the node with that',
    ' * text ({v}: the opset, {name}: the node\'s name), or null: ORT did not refuse a one-node model of it for its op type',
    ' * (it may have refused it for something else first). An op type not listed is',
    ' * refused with ORT_UNKNOWN_OP_TYPE of its domain ({op}: the op type).',
    ' */',
    `export const ORT_OP_TYPES_MEASURED_ON = ${JSON.stringify(ortVersion())};`,
    '',
    'export const ORT_UNKNOWN_OP_TYPE: Readonly<Record<string, string>> = {',
    ...Object.entries(unknown).map(([d, t]) => `  ${JSON.stringify(d)}: ${q(t)},`),
    '};',
    '',
    'export const ORT_OP_TYPES: Readonly<Record<string, Readonly<Record<string, ReadonlyArray<readonly [number, string | null]>>>>> = {',
  ];
  for (const [d, ops] of Object.entries(table)) {
    lines.push(`  ${JSON.stringify(d)}: {`);
    for (const [op, ranges] of Object.entries(ops)) lines.push(`    ${JSON.stringify(op)}: [${ranges.map(([v, r]) => `[${v}, ${q(r)}]`).join(', ')}],`);
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

const text = render(await measure());
if (process.argv.includes('--print')) {
  process.stdout.write(text);
} else if (process.argv.includes('--ops')) {
  throw new Error('--ops measures some candidates only: --print them');
} else if (process.argv.includes('--write')) {
  writeFileSync(CATALOG, text);
  process.stderr.write(`wrote ${CATALOG}\n`);
} else if (readFileSync(CATALOG, 'utf8') !== text) {
  process.stderr.write(`${CATALOG} is not what ORT ${ortVersion()} measures now: rerun with --write and review the diff\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(`${CATALOG}: as measured\n`);
}
