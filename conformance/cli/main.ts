/**
 * The qconform command line. Subcommands:
 *   run       validate a backend against the golden vectors (or fuzz it against the reference); --jobs, --shard
 *   merge     the shard reports of a run into its whole reports
 *   backends  the built-in backends, whether each can run here, and what each claims
 *   eval      serve the eval protocol on stdin/stdout with the reference or the fast impl
 *   vectors   generate | check the golden vectors
 *   explain   a quantized model's layers: stored qparams, clamp ranges, each scheme's requantization, disagreements
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { QCONFORM_VERSION } from './package_info.js';
import { MAX_FUZZ_RUNS, MAX_TIMER_MS, integerIn } from './numeric_options.js';
import type { RunCommandOptions } from '../runner/run_command.js';
import { InvalidShard, type Shard, parseShard } from '../runner/shard.js';

const MAX_JOBS = 64;

function shardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    throw e instanceof InvalidShard ? new InvalidArgumentError(e.message) : e;
  }
}

// Each subcommand's code is imported when that subcommand runs, so `--help` and `backends` start fast.

const program = new Command('qconform')
  .description('bit-exact reference and conformance suite for int8 quantization arithmetic')
  .version(QCONFORM_VERSION)
  // usage errors exit 2 (commander's default is 1, the exit code of a failing run)
  .exitOverride();

program
  .command('run')
  .description("run the golden vectors (or --fuzz fresh cases) on a backend; exit 0 only when every case passed, is waived or is not-run (the backend's library was not run on the case), not all of them not-run")
  .requiredOption('--backend <backend>', 'a built-in name (see `qconform backends`), a .ts/.js module exporting a Backend, or a command speaking docs/protocol.md')
  .option('--vectors <dir|file>', "a vector directory or one .jsonl file; repeat it to run several in order (default: a built-in's own sets (docs/runner.md), vectors/torch-1.13 for a module or command)", (v: string, prev?: string[]) => [...(prev ?? []), v])
  .option('--op <ops...>', 'only these ops (quantize_per_tensor or quantize_per_tensor@1)')
  .option('--scheme <schemes...>', 'only cases of these schemes (e.g. torch-1.13)')
  .option('--case <ids...>', 'only these case ids')
  .option('--waivers <file>', 'expected failures, "<case id> <reason>" per line (default: <backend>.waivers.txt next to it)')
  .option('--timeout <ms>', `per-case timeout in ms, 1 to ${MAX_TIMER_MS}`, integerIn(1, MAX_TIMER_MS), 10_000)
  .option('--report <file.json>', 'write the JSON report (atomically)')
  .option('--junit <file.xml>', 'write JUnit XML (atomically)')
  .option('--html <file.html>', 'write a self-contained HTML report: op x scheme x verdict, each non-passing case with its first difference and replay line (atomically)')
  .option('--all-cases', "also run the cases outside the backend's claimed ops, schemes and dtypes, each unsupported (which fails the run)")
  .option('--claimed-only', 'run only the claimed cases (the default; kept for compatibility)')
  .option('--strict-contract', "do not accept torch's recorded outputs where qconform's contract rejects the input")
  .option('--require-available', 'an unavailable backend always exits 3 (kept for compatibility)')
  .option('--fuzz <n>', `instead of the vectors: n fresh cases per op (1 to ${MAX_FUZZ_RUNS}), judged by the exact reference, shrunk on mismatch`, integerIn(1, MAX_FUZZ_RUNS))
  .option('--seed <seed>', 'fuzz seed (an integer or any text)')
  .option('--replay <path>', "fuzz: judge the case at this fast-check path again (a replay line's, printed with a mismatch and in the reports; with its --fuzz and --seed)")
  .option('--jobs <n>', `run n instances of the backend at once (1 to ${MAX_JOBS}); results and reports are those of a serial run`, integerIn(1, MAX_JOBS), 1)
  .option('--shard <K/N>', 'run only part K of N of the selection (by a hash of each case id); `qconform merge` joins the N --report files', shardOption)
  .option('--cpu <model>', 'the CPU the backend runs on: host (default), or an emulated model under QEMU user mode (haswell, nehalem; arm64 for xnnpack); `qconform backends` lists them')
  .addOption(new Option('--wire <encoding>', "tensors to a command backend: auto (base64le when its handshake offers it, else json) or json").choices(['auto', 'json']).default('auto'))
  .action(async (o: RunCommandOptions) => {
    const { runCommand } = await import('../runner/run_command.js');
    process.exitCode = await runCommand(o);
  });

program
  .command('merge')
  .description('merge the JSON reports of every shard of a run (--shard K/N --report FILE) into the reports of the whole run')
  .argument('<reports...>', 'the shard reports (JSON)')
  .option('--report <file.json>', 'write the merged JSON report (atomically)')
  .option('--junit <file.xml>', 'write the merged JUnit XML (atomically)')
  .option('--html <file.html>', 'write the merged self-contained HTML report (atomically)')
  .action(async (reports: string[], o: { report?: string; junit?: string; html?: string }) => {
    const { mergeCommand } = await import('../runner/merge_command.js');
    process.exitCode = await mergeCommand(reports, o);
  });

program
  .command('backends')
  .description('list the built-in backends: available here or not (with the install command), and what each is')
  .option('--claims', 'also start each available backend and list the ops, schemes and dtypes it claims (slower)')
  .action(async (o: { claims?: boolean }) => {
    const { backendsCommand } = await import('./backends_command.js');
    process.exitCode = await backendsCommand(o);
  });

const vectors = program.command('vectors').description('generate | check the golden vectors');
if (process.argv.slice(2).find((a) => !a.startsWith('-')) === 'vectors') (await import('../vectors/vector_commands.js')).addVectorCommands(vectors);

program
  .command('eval')
  .description('read one JSON request per line on stdin, write one JSON result per line (docs/protocol.md)')
  .addOption(new Option('--backend <name>', 'which implementation answers').choices(['reference', 'impl']).default('reference'))
  .action(async (o: { backend: 'reference' | 'impl' }) => {
    const { serveProtocol } = await import('../protocol/eval_server.js');
    const ops = o.backend === 'reference' ? (await import('../../reference/index.js')).reference : (await import('../../impl/index.js')).impl;
    await serveProtocol({ name: `qconform-${o.backend}`, version: QCONFORM_VERSION, ops }, process.stdin, process.stdout);
  });

program
  .command('explain')
  .description("a quantized model's layers (ONNX QOperator/QDQ, or TorchScript from torch 1.13 convert): stored qparams, the kernel's clamp vs the qconfig's, each scheme's requantization, and where schemes and the fake-quant model disagree on data")
  .argument('<model>', 'a .onnx model, or a TorchScript .pt saved from a converted eager model (read through /usr/bin/python3 torch)')
  .option('--input <file>', 'the input: a .npy (float32/float64; uint8/int8 for a uint8/int8 graph input the first layer reads, directly or through Identity, a Cast to its own type, MaxPool or Flatten) or a JSON tensor; default: seeded generated data, labelled as such')
  .option('--shape <N,C,H,W>', 'the shape of generated data, N,F for a model that starts with a linear layer (default: the model\'s input shape, or [1, C, 16, 16]); beside --input it must be the file\'s own shape (else exit 2)')
  .option('--observers <file>', "TorchScript only: torch.save of explain_ops.observer_state(prepared_model): min_val, max_val, quant_min, quant_max, histograms")
  .option('--engine <name>', "TorchScript only: torch's quantized engine to load and run the model on, qnnpack or onednn (default: torch's default engine; each layer is analysed against the kernel that engine runs it with)")
  .option('--cpu <model>', 'TorchScript only: the CPU torch runs the model on: host (default), or haswell / nehalem under QEMU user mode; its flags pick onednn\'s kernels (without VNNI: int16-saturated pair sums)')
  .option('--seed <seed>', 'seed of generated data', '1')
  .option('--json <file>', 'write the whole analysis as JSON (atomically)')
  .option('--html <file>', 'write the self-contained HTML page (atomically)')
  .action(async (model: string, o: import('../explain/explain_command.js').ExplainCommandOptions) => {
    const { explainCommand } = await import('../explain/explain_command.js');
    process.exitCode = explainCommand(model, o);
  });

try {
  await program.parseAsync();
} catch (e) {
  // a report, page or vector file that cannot be written: one line, exit 2 (the other reports were written)
  const { FileWriteError } = await import('../vectors/atomic_write.js');
  if (e instanceof FileWriteError) {
    console.error(`error: ${e.message}`);
    process.exitCode = 2;
  } else if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else throw e;
}
