/**
 * What the runner validates: a backend. Any object with this shape is one, whether it computes in
 * process (a TypeScript module exporting it) or forwards each case to a process over docs/protocol.md.
 */
import type { WireRequest, WireResponse } from '../protocol/messages.js';

/** What a backend claims. A case outside its claims is `unsupported`, never a pass. */
export interface Capabilities {
  /** Op names with their semantics version, e.g. "quantize_per_tensor@1". */
  readonly ops: readonly string[];
  /** Arithmetic schemes it implements (see scheme.ts); absent = every scheme of the ops it lists. */
  readonly schemes?: readonly string[];
  /** Quantized dtypes it handles (quint8, qint8, qint32, quint4x2); absent = all. */
  readonly dtypes?: readonly string[];
  /** Accumulator variant for integer dot products, e.g. "exact", "int32-wrap", "sat16". */
  readonly accumulator?: string;
  /**
   * Built-in backends only (not part of the handshake; a module backend's is dropped with its worker): why a case
   * within the claims above is still not claimed, or null. For a real library whose answer on some inputs is not a
   * function of them (torch26_builtins.ts).
   */
  readonly unclaimedCase?: (request: WireRequest) => string | null;
}

export interface Backend {
  readonly name: string;
  readonly version: string;
  readonly capabilities: Capabilities;
  /** Free-form provenance for reports: CPU flags, engine, library versions. */
  readonly info?: Record<string, unknown>;
  /** Compute one case. Throw BackendFault for transport failures; any other throw is an `error` verdict. */
  run(request: WireRequest, options: { timeoutMs: number }): WireResponse | Promise<WireResponse>;
  /**
   * Optional: the suite's claimed requests, handed over once before they are run one by one. A backend that
   * pays a fixed cost per invocation (a compiler: tosa-mlir) computes them in batches here and run() answers
   * from what it kept; run() must still answer any request on its own.
   */
  prefetch?(requests: readonly WireRequest[]): Promise<void>;
  /** True when run() enforces timeoutMs itself, excluding its own restarts; else the runner races run() against it. */
  readonly enforcesTimeout?: boolean;
  /** Output that belonged to no pending case (stray lines, an exit right after an answer), for the reports. */
  readonly warnings?: readonly string[];
  /**
   * Cases answered a second time with a different answer (a process backend's stray line carrying an answered id):
   * id -> what the second answer said. The runner makes each such case an `error` (run_suite.ts).
   */
  readonly contradicted?: ReadonlyMap<string, string>;
  /**
   * End the backend; called again it does nothing more. A process backend first reads what the process still writes
   * (protocol_client.ts close: until it exits, at most a grace period), so a late second answer is in `contradicted`.
   */
  close?(): void | Promise<void>;
}

export type FaultKind = 'timeout' | 'crash' | 'garbage';

/** A case the backend did not answer: it hung, died, or printed something that is not a response. */
export class BackendFault extends Error {
  override readonly name = 'BackendFault';
  constructor(
    readonly kind: FaultKind,
    detail: string,
  ) {
    super(detail);
  }
}

/** What a backend threw, in one line, even when the thrown value resists being shown. */
export function describeThrown(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : `${typeof e} ${String(e)}`;
  } catch {
    return 'a value that cannot be shown';
  }
}
