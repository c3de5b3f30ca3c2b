import * as ort from 'onnxruntime-node';
import { oneNodeModel } from '../conformance/backends/onnxruntime/one_node_model.js';
import { f32Fma } from '../impl/float32.js';
let s = Number(process.env.SEED ?? 7);
const rnd = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 2 ** 32; };
const ri = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const f32 = Math.fround;
async function run(M: number, K: number, N: number, bs: number, acc: number, bits: number, withZp: boolean, withBias: boolean, rows3d: boolean) {
  const kb = Math.ceil(K / bs);
  const blob = (bs * bits) / 8;
  const qmax = 2 ** bits;
  const q = Array.from({ length: N * kb * bs }, () => Math.floor(rnd() * qmax));
  const Bbytes: number[] = [];
  if (bits === 8) Bbytes.push(...q);
  else for (let i = 0; i < q.length; i += 8 / bits) { let v = 0; for (let j = 0; j < 8 / bits; j++) v |= q[i + j]! << (j * bits); Bbytes.push(v); }
  const scales = Array.from({ length: N * kb }, () => f32((rnd() * 2 - 1) * 2 ** ri(-8, 2)));
  const per = 8 / bits;
  const zpBytesPerRow = Math.ceil(kb / per);
  const zpv = Array.from({ length: N * kb }, () => Math.floor(rnd() * qmax));
  const zpBytes: number[] = [];
  for (let n = 0; n < N; n++) for (let j = 0; j < zpBytesPerRow; j++) { let v = 0; for (let t = 0; t < per; t++) if (j * per + t < kb) v |= zpv[n * kb + j * per + t]! << (t * bits); zpBytes.push(v); }
  const bias = Array.from({ length: N }, () => f32((rnd() * 2 - 1) * 2 ** ri(-6, 3)));
  const A = Array.from({ length: M * K }, () => f32((rnd() * 2 - 1) * 2 ** ri(-6, 4)));
  const adims = rows3d && M % 2 === 0 ? [2, M / 2, K] : [M, K];
  const model = oneNodeModel({
    opType: 'MatMulNBits', domain: 'com.microsoft', opset: 21,
    inputs: [
      ['A', { elem: 'float32', dims: adims, values: A }],
      ['B', { elem: 'uint8', dims: [N, kb, blob], values: Bbytes }],
      ['scales', { elem: 'float32', dims: [N * kb], values: scales }],
      withZp ? ['zp', { elem: 'uint8', dims: [N * zpBytesPerRow], values: zpBytes }] : null,
      ...(withBias ? [null, ['bias', { elem: 'float32', dims: [N], values: bias }] as const] : []),
    ],
    graphInputs: ['A'], output: { name: 'Y', elem: 'float32' },
    attributes: [{ name: 'K', int: K }, { name: 'N', int: N }, { name: 'bits', int: bits }, { name: 'block_size', int: bs }, { name: 'accuracy_level', int: acc }],
  });
  const sess = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', logSeverityLevel: 4 });
  const out = (await sess.run({ A: new ort.Tensor('float32', Float32Array.from(A), adims) })).Y!.data as Float32Array;
  const zdef = 2 ** (bits - 1);
  const deq = (n: number, k: number) => { const b = Math.floor(k / bs); const z = withZp ? zpv[n * kb + b]! : zdef; return f32((q[n * kb * bs + k]! - z) * scales[n * kb + b]!); };
  let SK = K; if (bits !== 4) { let sn = 128; SK = 128; if (N >= K) { while (SK / 2 >= K) { sn *= 2; SK /= 2; } } else { while (sn > 16 && sn / 2 >= N) { SK *= 2; sn /= 2; } } }
  const seq = (m: number, n: number) => { let c: number | null = withBias ? bias[n]! : null; for (let k0 = 0; k0 < K; k0 += SK) { let a = 0; for (let k = k0; k < Math.min(K, k0 + SK); k++) a = f32Fma(A[m * K + k]!, deq(n, k), a); c = c === null ? a : f32(a + c); } return c!; };
  let ok = 0;
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) if (Object.is(seq(m, n), out[m * N + n])) ok++;
  return { M, K, N, bs, acc, bits, withZp, withBias, adims: adims.join('x'), total: M * N, ok };
}
const bitsList = (process.env.BITS ?? '4').split(',').map(Number);
let bad = 0, tot = 0;
for (let i = 0; i < Number(process.env.COUNT ?? 60); i++) {
  const bits = bitsList[i % bitsList.length]!;
  const bs = [16, 32, 64, 128][ri(0, 3)]!;
  const K = ri(Number(process.env.KMIN ?? 1), Number(process.env.KMAX ?? 300)); const M = ri(Number(process.env.MMIN ?? 2), 6); const N = ri(1, Number(process.env.NMAX ?? 9));
  try {
    const r = await run(M, K, N, bs, (process.env.ACC ? Number(process.env.ACC) : [0, 1, 4][ri(0, 2)]!), bits, rnd() < 0.5, rnd() < 0.5, rnd() < 0.3);
    tot++; if (r.ok !== r.total) { bad++; console.log('MISMATCH', JSON.stringify(r)); } else if (process.env.V) console.log(JSON.stringify(r));
  } catch (e) { console.log('ERR', bits, bs, K, String(e).slice(0, 300)); }
}
console.log({ bad, tot });
