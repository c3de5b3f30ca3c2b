import * as ort from 'onnxruntime-node';
import { oneNodeModel } from '../conformance/backends/onnxruntime/one_node_model.js';
import { f32Fma } from '../impl/float32.js';

// simple seeded rng
let s = 12345;
const rnd = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 2 ** 32; };
const f32 = Math.fround;

async function run(M: number, K: number, N: number, bs: number, acc: number, bInit: boolean, withZp: boolean, withBias: boolean) {
  const kb = Math.ceil(K / bs);
  const blob = bs / 2;
  const q = Array.from({ length: N * kb * bs }, () => Math.floor(rnd() * 16));
  for (let n = 0; n < N; n++) for (let k = K; k < kb * bs; k++) q[n * kb * bs + k] = 0;
  const Bbytes: number[] = [];
  for (let i = 0; i < q.length; i += 2) Bbytes.push(q[i]! | (q[i + 1]! << 4));
  const scales = Array.from({ length: N * kb }, () => f32((rnd() * 2 - 1) * 0.1));
  const zpBytesPerRow = Math.ceil(kb / 2);
  const zpv = Array.from({ length: N * kb }, () => Math.floor(rnd() * 16));
  const zpBytes: number[] = [];
  for (let n = 0; n < N; n++) for (let j = 0; j < zpBytesPerRow; j++) zpBytes.push(zpv[n * kb + 2 * j]! | ((2 * j + 1 < kb ? zpv[n * kb + 2 * j + 1]! : 0) << 4));
  const bias = Array.from({ length: N }, () => f32(rnd() * 4 - 2));
  const A = Array.from({ length: M * K }, () => f32((rnd() * 2 - 1) * 2 ** Math.floor(rnd() * 8 - 4)));
  const graphInputs = ['A', ...(bInit ? [] : ['B'])];
  const model = oneNodeModel({
    opType: 'MatMulNBits', domain: 'com.microsoft', opset: 21,
    inputs: [
      ['A', { elem: 'float32', dims: [M, K], values: A }],
      ['B', { elem: 'uint8', dims: [N, kb, blob], values: Bbytes }],
      ['scales', { elem: 'float32', dims: [N * kb], values: scales }],
      withZp ? ['zp', { elem: 'uint8', dims: [N * zpBytesPerRow], values: zpBytes }] : null,
      ...(withBias ? [null, ['bias', { elem: 'float32', dims: [N], values: bias }] as const] : []),
    ],
    graphInputs,
    output: { name: 'Y', elem: 'float32' },
    attributes: [{ name: 'K', int: K }, { name: 'N', int: N }, { name: 'bits', int: 4 }, { name: 'block_size', int: bs }, { name: 'accuracy_level', int: acc }],
  });
  const sess = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', logSeverityLevel: 4 });
  const feeds: Record<string, ort.Tensor> = { A: new ort.Tensor('float32', Float32Array.from(A), [M, K]) };
  if (!bInit) feeds.B = new ort.Tensor('uint8', Uint8Array.from(Bbytes), [N, kb, blob]);
  const out = (await sess.run(feeds)).Y!.data as Float32Array;
  // dequantized B
  const deq = (n: number, k: number) => { const b = Math.floor(k / bs); const z = withZp ? zpv[n * kb + b]! : 8; return f32((q[n * kb * bs + k]! - z) * scales[n * kb + b]!); };
  // candidate: sequential fma chain
  const seq = (m: number, n: number) => { let acc = 0; for (let k = 0; k < K; k++) acc = f32Fma(A[m * K + k]!, deq(n, k), acc); return withBias ? f32(acc + bias[n]!) : acc; };
  // candidate: lanes L, then pairwise? horizontal sum left-to-right of lanes
  const lanes = (m: number, n: number, L: number) => {
    const v = new Array(L).fill(0);
    for (let k = 0; k < K; k++) v[k % L] = f32Fma(A[m * K + k]!, deq(n, k), v[k % L]);
    let t = v.slice();
    while (t.length > 1) { const h = t.length / 2; t = t.slice(0, h).map((x, i) => f32(x + t[h + i])); }
    return withBias ? f32(t[0] + bias[n]!) : t[0];
  };
  const res: Record<string, number> = { seq: 0, l8: 0, l16: 0 };
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    const y = out[m * N + n]!;
    if (seq(m, n) === y) res.seq!++;
    if (lanes(m, n, 8) === y) res.l8!++;
    if (lanes(m, n, 16) === y) res.l16!++;
  }
  return { M, K, N, bs, acc, bInit, withZp, withBias, total: M * N, ...res };
}
const cfgs: Array<[number, number, number, number]> = [[1, 64, 8, 32], [1, 64, 8, 16], [2, 64, 8, 32], [4, 64, 8, 16], [3, 48, 5, 16], [1, 32, 4, 32]];
for (const acc of [0, 4]) for (const bInit of [true, false]) for (const c of cfgs) {
  try { console.log(JSON.stringify(await run(c[0], c[1], c[2], c[3], acc, bInit, true, true))); } catch (e) { console.log('ERR', acc, bInit, c, String(e).slice(0, 200)); }
}
