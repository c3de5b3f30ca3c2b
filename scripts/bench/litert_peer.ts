/**
 * TFLite's own speed on a bench layer, for the ratio of impl's tflite-double-rounding@1 rows: the layer's conv under
 * that scheme is TFLite's builtin DEPTHWISE_CONV_2D (conformance/backends/litert/conv_graph.ts convKind), run by
 * LiteRT.js (@litertjs/core's compat build: TFLite compiled to WebAssembly, one thread, in this Node) on a model
 * compiled once, at steady state. The graph is the one the LiteRT vectors come from, so the time includes its two
 * QUANTIZE ops (uint8 <-> int8, LiteRT.js takes no int8 tensor) and the output's copy out of LiteRT's heap. Layers
 * whose conv is not a depthwise one get no row: there TFLite's builtin CONV_2D rounds once (tflite-single-rounding@1),
 * a scheme the bench does not time. Before timing, one run's outputs are compared with impl's, element for element:
 * the peer must do the same work bit for bit (it does: vectors/litert-2.5).
 */
import { checkConv2d } from '../../contract/conv_checks.js';
import { checkLitertRules, isDepthwiseShape, litertConvModel } from '../../conformance/backends/litert/conv_graph.js';
import { LITERT_INSTALL, litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { implOnConvPath } from '../../impl/index.js';
import { type BenchLayer, layerArgs } from './conv_layer.js';
import { type SteadyTiming, steadySeconds } from './steady_state.js';

export const LITERT_PEER_SCHEME = 'tflite-double-rounding@1';

/** The peer's title for the bench table, with LiteRT.js's version. */
export async function litertPeerTitle(): Promise<string> {
  const rt = await loadLiteRt();
  return `TFLite builtin DEPTHWISE_CONV_2D, LiteRT.js ${rt.version} (wasm compat, 1 thread, QUANTIZE in/out)`;
}

/**
 * The layer's steady-state timing on LiteRT.js, why there is none (not installed; the adapter refused the conv or
 * LiteRT.js failed; outputs that differ from impl's), or null for a layer that is not a depthwise conv.
 */
export async function litertPeerTiming(l: BenchLayer): Promise<SteadyTiming | string | null> {
  const a = layerArgs(LITERT_PEER_SCHEME, {}, l);
  const g = checkConv2d(a);
  if (!isDepthwiseShape(g)) return null;
  if (!litertPackageJson()) return `@litertjs/core not installed (${LITERT_INSTALL})`;
  try {
    checkLitertRules(a, LITERT_PEER_SCHEME);
    const m = litertConvModel(a, g, LITERT_PEER_SCHEME);
    const rt = await loadLiteRt();
    const compiled = await rt.compile(m.model, []);
    try {
      const theirs = m.decode((await compiled.run(m.inputs)).outputs[0] ?? []);
      const ours = implOnConvPath('wasm').quantizedConv2d(a).data;
      if (theirs.length !== ours.length) return `not measured: ${theirs.length} outputs, impl has ${ours.length}`;
      const differ = theirs.findIndex((v, i) => v !== ours[i]);
      if (differ !== -1) return `not measured: its outputs differ from impl's, first at element ${differ}`;
      return await steadySeconds(() => compiled.run(m.inputs));
    } finally {
      compiled.delete();
    }
  } catch (e) {
    return `not measured: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}
