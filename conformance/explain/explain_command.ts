/**
 * `qconform explain MODEL`: reads the model (.onnx in TypeScript; .pt through torch), the input (--input, or
 * seeded generated data, labelled; an --input or --shape that no modelled layer would read is refused:
 * input_reach.ts; --shape beside --input must be the file's shape: input_shape.ts), runs explain_run.ts, prints
 * the per-layer table and writes --json / --html atomically (both destinations checked first). Exit 0 when explained, 2 for a usage error, an unwritable
 * destination, or a model or input that cannot be read or run (a typed message, never a stack trace).
 */
import { isQconformError } from '../../contract/errors.js';
import { destinationsProblem } from '../runner/report_destinations.js';
import { writeFileAtomic } from '../vectors/atomic_write.js';
import { consoleTable } from './console_table.js';
import { explainHtml } from './explain_html.js';
import { explainModel } from './explain_run.js';
import { inputNotTaken, inputUnreached } from './input_reach.js';
import { generatedInput, readInputTensor } from './input_tensor.js';
import { fileShapeProblem, generatedShape } from './input_shape.js';
import { type ExplainModel, ModelReadError } from './model_types.js';
import { readOnnxModel } from './onnx_model.js';
import { readTorchModel } from './torch_model.js';
import { type CpuModel, UnknownCpuModel, cpuAvailability, cpuModel } from '../backends/cpu/cpu_models.js';

export interface ExplainCommandOptions {
  input?: string;
  shape?: string;
  observers?: string;
  /** TorchScript only: the torch quantized engine to load and run the model on (torch_engine.ts) */
  engine?: string;
  /** TorchScript only: the CPU torch reads the model on (backends/cpu/cpu_models.ts: host, or x86 models under QEMU), whose flags pick onednn's kernels */
  cpu?: string;
  seed: string;
  json?: string;
  html?: string;
}

/** The CPU model `--cpu` names for torch, refused with the reason where torch cannot run on it here. */
function torchCpu(path: string, name: string | undefined): CpuModel {
  let cpu: CpuModel;
  try {
    cpu = cpuModel(name);
  } catch (e) {
    if (e instanceof UnknownCpuModel) throw new ModelReadError(path, e.message);
    throw e;
  }
  if (cpu.arch !== 'x86_64') throw new ModelReadError(path, `--cpu ${cpu.name} runs ${cpu.arch} programs; torch here is an x86_64 build (host, haswell, nehalem)`);
  const availability = cpuAvailability(cpu);
  if (!availability.available) throw new ModelReadError(path, `${availability.reason} (${availability.install})`);
  return cpu;
}

function readModel(path: string, o: ExplainCommandOptions): ExplainModel {
  if (path.endsWith('.onnx')) {
    if (o.engine !== undefined) throw new ModelReadError(path, '--engine picks torch\'s quantized engine for a TorchScript model; an ONNX model runs on ONNX Runtime (leave out --engine)');
    if (o.cpu !== undefined) throw new ModelReadError(path, '--cpu picks the CPU torch runs a TorchScript model on; explain runs an ONNX model\'s layers as ONNX Runtime does on this host (leave out --cpu)');
    return readOnnxModel(path);
  }
  if (path.endsWith('.pt') || path.endsWith('.pth') || path.endsWith('.ptl')) return readTorchModel(path, o.observers, o.engine, torchCpu(path, o.cpu));
  throw new ModelReadError(path, 'expected a .onnx model or a TorchScript .pt file');
}

export function explainCommand(modelPath: string, o: ExplainCommandOptions): number {
  // neither output may replace the other, the model, the input or the observers file
  const reads = [
    { what: 'model', path: modelPath },
    ...(o.input ? [{ what: '--input file', path: o.input }] : []),
    ...(o.observers ? [{ what: '--observers file', path: o.observers }] : []),
  ];
  const problem = destinationsProblem([['--json', o.json], ['--html', o.html]], reads);
  if (problem) {
    console.error(`error: ${problem}`);
    return 2;
  }
  try {
    const model = readModel(modelPath, o);
    const unreached = inputUnreached(model);
    // --shape shapes generated data that no modelled layer would read: refused like such an --input (explain_run.ts)
    if (unreached && o.shape && !o.input) throw inputNotTaken('--shape', unreached);
    // an input that reaches no modelled layer is not run (explain_run.ts): none is drawn, whatever shape the model declares
    const input = o.input ? readInputTensor(o.input) : generatedInput(unreached ? [0] : generatedShape(model, o.shape), o.seed);
    // an --input no layer takes is refused by explainModel; beside one that is taken, --shape must be its shape (input_shape.ts)
    const misfit = o.input && o.shape && !unreached ? fileShapeProblem(o.shape, input) : null;
    if (misfit) throw misfit;
    const result = explainModel(model, input, { seed: o.seed, shapeGiven: o.shape !== undefined && !o.input });
    console.log(consoleTable(result));
    if (o.json) {
      writeFileAtomic(o.json, `${JSON.stringify(result, null, 1)}\n`);
      console.log(`wrote ${o.json}`);
    }
    if (o.html) {
      writeFileAtomic(o.html, explainHtml(result));
      console.log(`wrote ${o.html}`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ModelReadError) && !isQconformError(e)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
}
