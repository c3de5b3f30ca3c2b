/** Every built-in backend, by the name `qconform run --backend <name>` takes. */
import type { BuiltinBackend } from './builtin_backend.js';
import { litertBackend } from './litert/litert_builtin.js';
import { tosaBackend } from './tosa/tosa_builtin.js';
import { implBackend, referenceBackend } from './module/in_process_builtins.js';
import { gemmlowpBackend, xnnpackBackend } from './native/native_builtins.js';
import { onnxruntimeBackend } from './onnxruntime/onnxruntime_builtin.js';
import { torchOnednnBackend, torchQnnpackBackend } from './torch/torch_builtins.js';
import { torch26OnednnBackend, torch26QnnpackBackend } from './torch/torch26_builtins.js';

export const BUILTIN_BACKENDS: readonly BuiltinBackend[] = [referenceBackend, implBackend, torchQnnpackBackend, torchOnednnBackend, torch26QnnpackBackend, torch26OnednnBackend, onnxruntimeBackend, xnnpackBackend, gemmlowpBackend, litertBackend, tosaBackend];

export function builtinBackend(name: string): BuiltinBackend | undefined {
  return BUILTIN_BACKENDS.find((b) => b.name === name);
}
