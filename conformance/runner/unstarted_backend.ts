/**
 * Stands in for a backend process that could not be started (it exited at once, never handshook, or
 * its handshake was malformed), so that every selected case still gets a verdict and the reports are
 * written: each case is `crash` (`error` for a bad handshake) with the reason. It claims every op, so
 * nothing is reported `unsupported`. The run then exits 2 (the backend could not be loaded).
 */
import { OP_NAMES } from '../../contract/ops.js';
import { type Backend, BackendFault } from '../backends/backend.js';
import type { BackendProcessError } from '../protocol/protocol_client.js';

const UNSTARTED = Symbol('unstarted backend');

export function unstartedBackend(spec: string, e: BackendProcessError): Backend {
  const fault = new BackendFault(e.failure === 'bad-handshake' ? 'garbage' : 'crash', `backend did not start: ${e.message}`);
  const backend: Backend & { [UNSTARTED]: true } = {
    [UNSTARTED]: true,
    name: spec,
    version: 'unknown',
    capabilities: { ops: OP_NAMES },
    info: { start_failure: e.message },
    run: () => {
      throw fault;
    },
  };
  return backend;
}

export function isUnstarted(backend: Backend): boolean {
  return UNSTARTED in backend;
}
