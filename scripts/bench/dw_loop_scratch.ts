import { implOnConvPath } from '../../impl/index.js';
import { quantizedConv2dOn } from '../../impl/conv/conv2d.js';
import { DEPTHWISE_LAYER as l, layerArgs } from './conv_layer.js';
const wasm = implOnConvPath('wasm');
const a = layerArgs((process.argv[2] ?? 'onnxruntime@1') as 'onnxruntime@1', {}, l);
const reuse = process.argv[4] === 'reuse';
const out = new Int32Array(l.n * l.oc * l.h * l.w);
const run = reuse ? () => quantizedConv2dOn('wasm', a, undefined, { out }) : () => wasm.quantizedConv2d(a);
for (let i = 0; i < 200; i++) run();
const N = Number(process.argv[3] ?? 5000);
const t0 = performance.now();
const ts: number[] = [];
for (let i = 0; i < N; i++) { const t = performance.now(); run(); ts.push(performance.now() - t); }
ts.sort((x, y) => x - y);
console.log(reuse ? 'reuse' : 'fresh', 'mean', ((performance.now() - t0) / N).toFixed(4), 'min', ts[0]!.toFixed(4), 'median', ts[N >> 1]!.toFixed(4), 'p90', ts[Math.floor(N * 0.9)]!.toFixed(4));
