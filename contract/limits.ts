/**
 * The size limits of the op contract (docs/protocol.md, "Limits"). torch has none of them: it computes
 * whatever fits in memory, however long that takes. qconform rejects a request beyond a limit with the typed
 * error `too_large` before anything of that size is allocated, so an oracle answers every request in bounded
 * time and memory. reference/ and impl/ share these checks (they must answer alike); the values keep the
 * exact reference, the slower of the two, within a few seconds per request on one core.
 */
import { QconformError } from './errors.js';

/** Elements of any tensor an op takes or returns (inputs, conv's padded input and output, histograms). 2^22. */
export const MAX_TENSOR_ELEMENTS = 4_194_304;

/**
 * Multiply-accumulates of one quantized_conv2d@1 call: N * OC * OH * OW * (C / groups) * KH * KW. 2^30, so that
 * real layers run (ResNet's 1x64x56x56 -> 64 3x3 layer is 115.6 M MACs: well under a second for impl); the
 * exact reference, at roughly 5e6 MAC/s, needs up to about 3.5 minutes at the limit, bounded all the same.
 */
export const MAX_CONV_MACS = 1_073_741_824;

/**
 * Multiply-accumulates of one ONNX integer matmul (matmul_integer@1, qlinear_matmul@1, qgemm@1):
 * batches * M * N * K, 2^30 like MAX_CONV_MACS (conv_integer@1 is held to MAX_CONV_MACS itself).
 */
export const MAX_MATMUL_MACS = 1_073_741_824;

/** HistogramObserver's `bins` (torch's default is 2048): the reference needs about 2 s for 2^14 bins. */
export const MAX_HISTOGRAM_BINS = 16_384;

/**
 * Batches times bins of one histogram_observer request (@1 and @2). Each batch may merge the histogram; the exact
 * reference's merge costs it about 0.15 ms per bin (2.4 s per batch at 16,384 bins), so one short line of many small
 * batches could keep an oracle busy for hours. 2^20: 64 batches of 16,384 bins, 512 of torch's default 2048.
 */
export const MAX_HISTOGRAM_BATCH_BINS = 1_048_576;

/**
 * Batches times bins times upsample_rate of one histogram_observer@1 request: the upsampled cells its merges walk
 * (impl walks them one by one, about 1.2 G cells/s). 2^32. (@2 fixes upsample_rate at 16: MAX_HISTOGRAM_BATCH_BINS
 * bounds it.) At the limit, 64 widening batches of 4,096 values at 16,384 bins and upsample_rate 4,096, whose float64
 * sums round, take the reference 21 s (Zen 4, 3.6 GHz; reference/observers/histogram/repeated_f64_add.ts adds a run one
 * binary64 grid at a time; cell by cell they took over 20 minutes).
 */
export const MAX_HISTOGRAM_UPSAMPLED_CELLS = 4_294_967_296;

/** One request line of the eval protocol, in bytes, newline excluded (16 MiB). */
export const MAX_REQUEST_LINE_BYTES = 16_777_216;

/**
 * One response line a backend writes to the runner, newline excluded (64 MiB). A longer line is never
 * buffered whole: the runner judges the pending case `error` as soon as the limit is passed, discards the
 * rest and restarts the backend.
 */
export const MAX_RESPONSE_LINE_BYTES = 67_108_864;

/** One case line of a vector file (16 MiB, about 280 times the longest committed line, 59 KB). */
export const MAX_VECTOR_LINE_BYTES = 16_777_216;

/** Throws too_large when `count` exceeds `limit`, naming the limit. */
export function checkLimit(what: string, count: number, limit: number, limitName: string): void {
  if (!(count <= limit)) throw new QconformError('too_large', what, count, `limit ${limitName} = ${limit}`);
}
