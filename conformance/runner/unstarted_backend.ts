/**
 * Stands in for a backend that was not started, so that every selected case still gets a verdict and the reports are
 * written. A process that could not be started (it exited at once, never handshook, or its handshake was malformed):
 * each case is `crash` (`error` for a bad handshake) with the reason, and the run exits 2 (the backend could not be
 * loaded). A start that SIGINT/SIGTERM interrupted (interruption.ts unlessInterrupted): no case is sent, each gets
 * `error` "run interrupted" as any case not run when the signal came (run_suite.ts), and the run exits 130/143. Either
 * claims every op of the run (`ops`: those of the selected cases, or of the fuzz catalogue), so no case is left out as
 * outside its claims nor reported `unsupported` (contract/ops.ts OP_NAMES, claimed before, lacks the conv, linear and
 * ONNX ops: a conv case was left out).
 */
import { type Backend, BackendFault } from '../backends/backend.js';
import type { BackendProcessError } from '../protocol/protocol_client.js';

const UNSTARTED = Symbol('unstarted backend');

function standIn(spec: string, ops: readonly string[], startFailure: string, fault: BackendFault): Backend {
  const backend: Backend & { [UNSTARTED]: true } = {
    [UNSTARTED]: true,
    name: spec,
    version: 'unknown',
    capabilities: { ops },
    info: { start_failure: startFailure },
    run: () => {
      throw fault;
    },
  };
  return backend;
}

export function unstartedBackend(spec: string, ops: readonly string[], e: BackendProcessError): Backend {
  return standIn(spec, ops, e.message, new BackendFault(e.failure === 'bad-handshake' ? 'garbage' : 'crash', `backend did not start: ${e.message}`));
}

/** The backend `spec` while SIGINT/SIGTERM (`signal`, its name) stopped its start; never asked a case (the run is interrupted). */
export function interruptedStart(spec: string, ops: readonly string[], signal: string): Backend {
  const why = `run interrupted (${signal}) while the backend was starting`;
  return standIn(spec, ops, why, new BackendFault('crash', why));
}

export function isUnstarted(backend: Backend): boolean {
  return UNSTARTED in backend;
}
