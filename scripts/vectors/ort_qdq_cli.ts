/**
 * ONNX Runtime golden vectors of the ONNX quantization ops: `generate [--write]` runs every generated
 * quantize_linear@1, dequantize_linear@1 and dynamic_quantize_linear@1 case through onnxruntime-node (one-node
 * models, conformance/backends/onnxruntime/qdq.ts) and compares with (or rewrites) vectors/onnxruntime-1.30-qdq.
 *   npm run vectors:write:ort-qdq      npm run vectors:check:ort-qdq
 * These kernels have no CPU-dependent route (MLAS's quantize kernels divide in float32 on every x86 level), so there
 * is one set for every CPU.
 */
import { arch, cpus } from 'node:os';
import { Command } from 'commander';
import { ORT_QDQ_VECTORS_DIR, type Manifest } from '../../conformance/vectors/vector_set.js';
import { ORT_INSTALL_HINT, loadOrt, ortVersion, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { leftOutProvenance, toVectorGroups, withoutNotRun } from '../../conformance/vectors/build_vector_set.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { ORT_QDQ_CATALOG, ORT_QDQ_DEFAULT_SEED, ORT_QDQ_GENERATOR_VERSION } from '../../conformance/cases/ort_catalog.js';
import { ORT_QDQ_DEVIATIONS } from '../../conformance/backends/onnxruntime/qdq_deviations.js';

async function generate(o: { write?: boolean; seed: string; dir: string }): Promise<number> {
  const ort = await loadOrt();
  if (!ort) {
    console.error(`onnxruntime-node is not installed: ${ORT_INSTALL_HINT}`);
    return 2;
  }
  const groups = ORT_QDQ_CATALOG.map(({ op, count, factory }) => ({ op, requests: generateRequests(op, count, factory, o.seed) }));
  const run = withoutNotRun(groups, await runThroughOrt(ort, groups.flatMap((g) => g.requests)));
  for (const { id, notRun } of run.leftOut) console.log(`left out ${id}: ${notRun}`);
  const { texts, files } = assembleVectorFiles(toVectorGroups(run.groups, run.responses, ORT_QDQ_DEVIATIONS));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: ORT_QDQ_GENERATOR_VERSION,
    seed: o.seed,
    oracle: `onnxruntime-node ${ortVersion()} (CPU execution provider, 1 thread, graph optimizations off, opset 21) via conformance/backends/onnxruntime/qdq.ts`,
    provenance: { cpu_model: cpus()[0]?.model ?? null, arch: arch(), node: process.version, generated_by: 'npm run vectors:write:ort-qdq', ...leftOutProvenance(run.leftOut) },
    files,
  };
  return writeOrCompareVectorSet(o.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('ort-qdq-vectors').description('qconform ONNX Runtime QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear vectors');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--seed <seed>', 'seed', ORT_QDQ_DEFAULT_SEED)
  .option('--dir <dir>', 'vector directory', ORT_QDQ_VECTORS_DIR)
  .action(async (o) => {
    process.exitCode = await generate(o);
  });
await program.parseAsync();
