/** `reference` (the exact bigint-rational model) and `impl` (the fast typed-array model). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { impl } from '../../../impl/index.js';
import { reference } from '../../../reference/index.js';
import { QCONFORM_VERSION } from '../../cli/package_info.js';
import { quantOpsBackend } from './in_process_backend.js';
import type { BuiltinBackend } from '../builtin_backend.js';
import { PACKAGE_ROOT } from '../../package_root.js';
import { SubprocessBackend } from '../subprocess/subprocess_backend.js';
import { EVERY_OP_FUZZ_CATALOG } from '../../cases/fuzz_catalogs.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** For --jobs: `qconform eval --backend <name>` in a process of its own, so the instances compute in parallel. */
const evalProcess = (name: 'reference' | 'impl') => () => SubprocessBackend.start({ command: process.execPath, args: [join(PACKAGE_ROOT, 'bin/qconform.mjs'), 'eval', '--backend', name] });

export const referenceBackend: BuiltinBackend = {
  name: 'reference',
  summary: 'the exact reference (bigint rationals, every float32 step rounded explicitly); every op and scheme',
  waiverDir: HERE,
  availability: () => ({ available: true }),
  fuzzCatalog: EVERY_OP_FUZZ_CATALOG,
  create: async () => quantOpsBackend('reference', QCONFORM_VERSION, reference),
  createJob: evalProcess('reference'),
};

export const implBackend: BuiltinBackend = {
  name: 'impl',
  summary: 'the fast implementation (Float32Array/Int32Array); every op and scheme',
  waiverDir: HERE,
  availability: () => ({ available: true }),
  fuzzCatalog: EVERY_OP_FUZZ_CATALOG,
  create: async () => quantOpsBackend('impl', QCONFORM_VERSION, impl),
  createJob: evalProcess('impl'),
};
