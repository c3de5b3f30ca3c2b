/**
 * `qconform explain MODEL`: reads the model (.onnx in TypeScript; .pt through torch), the input (--input, or
 * seeded generated data, labelled; an --input or --shape that no modelled layer would read is refused:
 * input_reach.ts), runs explain_run.ts, prints the per-layer table and writes --json / --html
 * atomically (both destinations checked first). Exit 0 when explained, 2 for a usage error, an unwritable
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
import { type ExplainModel, ModelReadError } from './model_types.js';
import { readOnnxModel } from './onnx_model.js';
import { readTorchModel } from './torch_model.js';

export interface ExplainCommandOptions {
  input?: string;
  shape?: string;
  observers?: string;
  seed: string;
  json?: string;
  html?: string;
}

function readModel(path: string, o: ExplainCommandOptions): ExplainModel {
  if (path.endsWith('.onnx')) return readOnnxModel(path);
  if (path.endsWith('.pt') || path.endsWith('.pth') || path.endsWith('.ptl')) return readTorchModel(path, o.observers);
  throw new ModelReadError(path, 'expected a .onnx model or a TorchScript .pt file');
}

function parseShape(text: string): number[] {
  const dims = text.split(/[x,]/).map((d) => Number(d.trim()));
  if (!dims.every((d) => Number.isSafeInteger(d) && d > 0 && d <= 4096) || (dims.length !== 4 && dims.length !== 2)) throw new ModelReadError('--shape', `expected N,C,H,W or N,F (a model that starts with a linear layer; positive integers), got ${text}`);
  return dims;
}

/** The input shape: the model's own, --shape, else [1, C, 16, 16] for the first conv's C ([1, F] for a linear). */
function inputShape(model: ExplainModel, o: ExplainCommandOptions): number[] {
  if (o.shape) return parseShape(o.shape);
  if (model.inputShape) return [...model.inputShape];
  const first = model.steps.find((s) => s.kind === 'conv2d');
  const c = first && first.kind === 'conv2d' ? (first.weightShape[1] ?? 1) * first.groups : 1;
  return first?.kind === 'conv2d' && first.linear ? [1, c] : [1, c, 16, 16];
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
    // --shape shapes generated data that no modelled layer would read: refused like such an --input (explain_run.ts)
    const unreached = o.shape && !o.input ? inputUnreached(model) : null;
    if (unreached) throw inputNotTaken('--shape', unreached);
    const input = o.input ? readInputTensor(o.input) : generatedInput(inputShape(model, o), o.seed);
    const result = explainModel(model, input, { seed: o.seed });
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
