/** A backend that ships with qconform: how to tell whether it can run here, and how to start it. */
import type { Backend } from '../backend.js';

export type Availability = { available: true } | { available: false; reason: string; install: string };

export interface BuiltinBackend {
  readonly name: string;
  /** One line: what it is and what it claims. */
  readonly summary: string;
  /** The vector set this backend is checked against when --vectors is not given (default: vectors/torch-1.13). */
  readonly defaultVectors?: string;
  availability(): Availability;
  create(): Promise<Backend>;
}
