/**
 * The package's `qconform/runner` entry: `qconform run` as a function (`runCommand`, which prints as the CLI does
 * and resolves to its exit code), and its parts for callers that want the results themselves.
 */
export { type RunCommandOptions, runCommand } from '../runner/run_command.js';
export { type SuiteOptions, runSuite } from '../runner/run_suite.js';
export { type CaseFilter, type SelectedCase, type VectorSelection, selectCases } from '../runner/vector_selection.js';
export { type CaseResult, type Verdict, VERDICTS, runPassed } from '../runner/results.js';
export { type ResolvedBackend, resolveBackend } from '../backends/resolve_backend.js';
