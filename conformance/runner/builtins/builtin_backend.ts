/** A backend that ships with qconform: how to tell whether it can run here, and how to start it. */
import type { Backend } from '../backend.js';

export type Availability = { available: true } | { available: false; reason: string; install: string };

export interface BuiltinBackend {
  readonly name: string;
  /** One line: what it is and what it claims. */
  readonly summary: string;
  availability(): Availability;
  create(): Promise<Backend>;
}
