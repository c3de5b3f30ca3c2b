/**
 * Real PyTorch 1.13 through conformance/backends/torch/python/qconform_torch.py (Debian's /usr/bin/python3 with
 * python3-torch), one backend per quantized engine: the engine picks the kernels of engine-dependent
 * ops (conv). The adapter's handshake lists its ops and CPU flags.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TORCH_BACKEND_SCRIPT, TORCH_INSTALL_HINT, TORCH_PYTHON, torchAvailable } from './torch_process.js';
import type { Backend } from '../backend.js';
import { TORCH_1_13_SCHEME } from '../../runner/scheme.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';

function torchEngineBackend(engine: 'qnnpack' | 'onednn'): BuiltinBackend {
  return {
    name: `torch-${engine}`,
    summary: `PyTorch 1.13 (${TORCH_PYTHON}) with torch.backends.quantized.engine = "${engine}"; schemes ${TORCH_1_13_SCHEME}, torch-${engine}@1`,
    waiverDir: dirname(fileURLToPath(import.meta.url)),
    availability: () => (torchAvailable() ? { available: true } : { available: false, reason: `${TORCH_PYTHON} cannot import torch`, install: TORCH_INSTALL_HINT }),
    create: (): Promise<Backend> =>
      SubprocessBackend.start(
        { command: TORCH_PYTHON, args: [TORCH_BACKEND_SCRIPT, '--engine', engine] },
        // unless the adapter's handshake says otherwise: torch 1.13 semantics and its engine's scheme
        // importing torch can take a minute on a loaded machine
        { defaultCapabilities: { schemes: [TORCH_1_13_SCHEME, `torch-${engine}@1`] }, startTimeoutMs: 120_000 },
      ),
  };
}

export const torchQnnpackBackend = torchEngineBackend('qnnpack');
export const torchOnednnBackend = torchEngineBackend('onednn');
