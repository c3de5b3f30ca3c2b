/**
 * The longest line qconform accepts on a protocol stream (docs/protocol.md "Limits"): a backend's
 * response line, not counting its newline. A longer line is never buffered whole: the runner judges
 * the pending case `error` as soon as the limit is passed, discards the rest and restarts the backend.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
