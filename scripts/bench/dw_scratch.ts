import { implOnConvPath } from '../../impl/index.js';
import { quantizedConv2dOn } from '../../impl/conv/conv2d.js';
import { DEPTHWISE_LAYER as l, layerArgs, layerMacs } from './conv_layer.js';
import { steadySeconds } from './steady_state.js';
const wasm = implOnConvPath('wasm');
const macs = layerMacs(l);
for (const scheme of ['onnxruntime@1', 'torch-qnnpack@1', 'tflite-double-rounding@1'] as const) {
  const a = layerArgs(scheme, {}, l);
  const t = await steadySeconds(() => wasm.quantizedConv2d(a));
  const out = new Int32Array(l.n * l.oc * l.h * l.w);
  const r = await steadySeconds(() => quantizedConv2dOn('wasm', a, undefined, { out }));
  console.log(scheme.padEnd(28), 'fresh', (macs / t.seconds / 1e9).toFixed(2), t.stable ? '' : '*', ' reused', (macs / r.seconds / 1e9).toFixed(2), r.stable ? '' : '*', 'GMAC/s');
}
