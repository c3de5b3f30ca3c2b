/**
 * The real PyTorch oracle: conformance/backends/torch/python/qconform_torch.py run with Debian's /usr/bin/python3 and
 * python3-torch, spoken to over docs/protocol.md. Used to write golden vectors and by oracle:torch.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Handshake } from '../../protocol/protocol_client.js';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { runThroughProcess } from '../process_oracle.js';

export const TORCH_PYTHON = process.env.QCONFORM_TORCH_PYTHON ?? '/usr/bin/python3';
export const TORCH_BACKEND_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'qconform_torch.py');
export const TORCH_INSTALL_HINT = 'apt-get update && apt-get install -y python3-torch';

/**
 * True when Debian's python3 has a torch package. Only looked up, not imported (importing torch takes
 * seconds); a torch that is installed but broken shows when the adapter starts.
 */
let torchFound: boolean | undefined;
export function torchAvailable(): boolean {
  torchFound ??= lookUpTorch();
  return torchFound;
}

function lookUpTorch(): boolean {
  const r = spawnSync(TORCH_PYTHON, ['-c', "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)"], { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

/** Run every request through real torch, in order; any transport failure aborts with the reason. */
export function runThroughTorch(requests: readonly WireRequest[], onProgress?: (done: number) => void): Promise<{ handshake: Handshake; responses: WireResponse[] }> {
  return runThroughProcess({ label: 'torch oracle', command: TORCH_PYTHON, args: [TORCH_BACKEND_SCRIPT], startTimeoutMs: 120_000 }, requests, onProgress);
}
