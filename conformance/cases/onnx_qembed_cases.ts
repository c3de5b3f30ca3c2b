/**
 * Case generator of qembed_layer_normalization@1 (com.microsoft QEmbedLayerNormalization, ORT 1.30
 * qembed_layer_norm.cc): int32 input_ids [B, S] into a word table [V, H], the position table's first S of P >= S rows,
 * and (70%) segment_ids into a segment table [G, H], all 8-bit tables, gamma and beta of one dtype, each with its own
 * scale and zero point ([] or [1]); a mask (60%) of mostly 0/1 with a few other integers (only 1s count). Hidden sizes
 * from 1 (every row constant: the variance is 0, e = sqrt(epsilon)) through BERT-like 128-768 (long float32 sums, one
 * token then); tables whose rows repeat (constant rows too); epsilon absent (ORT's 1e-12f), 0 (0 / 0 on a constant
 * row: the default NaN) or a few values up to 1. One case in eight gives gamma (and some embedding tables) huge scales (float32 overflow:
 * inf and the default NaN in the output) or subnormal ones. A few requests ORT and the contract refuse: an input id outside the
 * word table, fewer position rows than S, a zero point of the other dtype, a negative epsilon, segment inputs given in
 * part (the table missing, or ids without a table).
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { type CaseFactory, hex64, wireF32, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawStress, values, zeroPoint } from './onnx_qops_cases.js';
import type { CaseRandom } from './random.js';

type ScaleRegime = 'typical' | 'huge' | 'subnormal';

function scaleOf(r: CaseRandom, regime: ScaleRegime): number {
  if (regime === 'huge') return Math.fround(Math.min(3.4e38, 10 ** (35 + 3.6 * r.next())));
  if (regime === 'subnormal') return Math.fround(2 ** -r.int(127, 140) * (1 + r.next()));
  return Math.fround(drawScale(r));
}

/** A [rows, h] table: random codes, or (20%) rows repeating one row, or (5%) one code throughout. */
function table(r: CaseRandom, dtype: QuantDtype, rows: number, h: number, stress: ReturnType<typeof drawStress>): number[] {
  if (r.bool(0.05)) return new Array<number>(rows * h).fill(r.int(DTYPE_RANGE[dtype].min, DTYPE_RANGE[dtype].max));
  if (r.bool(0.2)) {
    const row = values(r, dtype, h, stress);
    return Array.from({ length: rows * h }, (_, k) => row[k % h]!);
  }
  return values(r, dtype, rows * h, stress);
}

export const qembedLayerNormCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const stress = drawStress(r);
  const wide = r.bool(0.12);
  const h = wide ? r.pick([128, 256, 384, 768]) : r.bool(0.1) ? 1 : r.int(2, 48);
  const [batch, sequence] = wide ? [1, r.int(1, 2)] : [r.int(1, 3), r.bool(0.8) ? r.int(1, 6) : r.int(7, 16)];
  const vocabulary = r.int(1, wide ? 4 : 9);
  const positions = sequence + r.int(0, 3);
  const segments = r.bool(0.7) ? r.int(1, 3) : 0;
  const regime: ScaleRegime = r.bool(1 / 8) ? r.pick(['huge', 'subnormal']) : 'typical';
  const scalarShape = () => (r.bool(0.8) ? [] : [1]);
  const ids = (rows: number) => Array.from({ length: batch * sequence }, () => r.int(0, rows - 1));
  const inputs: Record<string, unknown> = { input_ids: wireInt('int32', [batch, sequence], ids(vocabulary)) };
  const quantized = (name: string, shape: number[], data: number[]) => {
    inputs[name] = wireInt(dtype, shape, data);
    inputs[`${name}_scale`] = wireF32(scalarShape(), [scaleOf(r, regime !== 'typical' && (name === 'gamma' || (name !== 'beta' && r.bool(0.15))) ? regime : 'typical')]);
    inputs[`${name}_zero_point`] = wireInt(dtype, scalarShape(), [zeroPoint(r, dtype)]);
  };
  quantized('word_embedding', [vocabulary, h], table(r, dtype, vocabulary, h, stress));
  quantized('position_embedding', [positions, h], table(r, dtype, positions, h, stress));
  if (segments > 0) {
    inputs.segment_ids = wireInt('int32', [batch, sequence], ids(segments));
    quantized('segment_embedding', [segments, h], table(r, dtype, segments, h, stress));
  }
  quantized('gamma', [h], values(r, dtype, h, stress));
  quantized('beta', [h], values(r, dtype, h, stress));
  if (r.bool(0.6)) inputs.mask = wireInt('int32', [batch, sequence], Array.from({ length: batch * sequence }, () => (r.bool(0.9) ? r.int(0, 1) : r.pick([2, -1, 7, 2147483647]))));
  const attrs: Record<string, unknown> = {};
  if (r.bool(0.6)) attrs.epsilon = hex64(r.pick([0, 0, 1e-5, 1e-6, 1e-12, 1e-3, 0.1, 1, r.next() * 1e-4]));
  if (r.bool(0.05)) {
    const defect = r.int(0, 4);
    if (defect === 0) inputs.input_ids = wireInt('int32', [batch, sequence], ids(vocabulary).map((v, k) => (k === 0 ? vocabulary + v : v)));
    else if (defect === 1) inputs.gamma_zero_point = wireInt(dtype === 'quint8' ? 'qint8' : 'quint8', [], [0]);
    else if (defect === 2) attrs.epsilon = hex64(-1e-5);
    else if (defect === 3 && segments > 0) delete inputs.segment_embedding;
    else if (defect === 3) inputs.segment_ids = wireInt('int32', [batch, sequence], new Array<number>(batch * sequence).fill(0));
    else inputs.position_embedding = wireInt(dtype, [sequence - 1, h], values(r, dtype, (sequence - 1) * h, stress));
  }
  return { op: 'qembed_layer_normalization@1', attrs, inputs };
};
