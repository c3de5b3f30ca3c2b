/** Whether something a backend needs is installed here, and the command that installs it when not. */
export type Availability = { available: true } | { available: false; reason: string; install: string };
