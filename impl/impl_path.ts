/**
 * Which path computes impl's WebAssembly-backed ops (the conv, quantize_per_tensor): 'wasm' (WebAssembly where it
 * covers the call, else JavaScript) or 'js'. Both give the same bits; tests compare them with each other and with
 * the reference.
 */
export type ImplPath = 'wasm' | 'js';

/** The path selected by QCONFORM_IMPL (js or wasm; wasm when unset). */
export function selectedImplPath(): ImplPath {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.QCONFORM_IMPL;
  return env === 'js' ? 'js' : 'wasm';
}
