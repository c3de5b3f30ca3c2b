/**
 * Options that belong to one mode of `qconform run`: the vector run's selection and judging options (--vectors,
 * --scheme, --case, --waivers, --all-cases, --strict-contract) mean nothing to a --fuzz run, which draws fresh cases
 * of its catalogue (its only selection is --op) and judges them by the exact reference; --seed means nothing without
 * --fuzz. Given in the other mode they were silently ignored, so a user believed a run they did not get. Now a usage
 * error (exit 2) before any work, naming every such option.
 */
/** The options of `qconform run` this check reads (run_command.ts RunCommandOptions has them). */
export interface ModeOptions {
  readonly fuzz?: number;
  readonly seed?: string;
  readonly vectors?: string | readonly string[];
  readonly scheme?: readonly string[];
  readonly case?: readonly string[];
  readonly waivers?: string;
  readonly allCases?: boolean;
  readonly strictContract?: boolean;
}

/** The vector run's options that a --fuzz run does not take, with how each is given on the command line. */
const VECTOR_ONLY: ReadonlyArray<readonly [keyof ModeOptions, string]> = [
  ['vectors', '--vectors'],
  ['scheme', '--scheme'],
  ['case', '--case'],
  ['waivers', '--waivers'],
  ['allCases', '--all-cases'],
  ['strictContract', '--strict-contract'],
];

/** The usage error of options given to the mode that does not take them, or null. */
export function modeOptionsProblem(o: ModeOptions): string | null {
  if (o.fuzz !== undefined) {
    const given = VECTOR_ONLY.filter(([key]) => o[key] !== undefined && o[key] !== false).map(([, flag]) => flag);
    if (given.length > 0) return `${given.join(', ')} ${given.length === 1 ? 'selects or judges' : 'select or judge'} vector cases; a --fuzz run draws fresh cases of its catalogue (choose them with --op) and judges them by the exact reference: drop ${given.length === 1 ? 'it' : 'them'} or --fuzz`;
  } else if (o.seed !== undefined) {
    return '--seed is the seed of a --fuzz run; a vector run has no randomness: drop --seed or add --fuzz N';
  }
  return null;
}
