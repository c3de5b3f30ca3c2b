/**
 * Typed errors shared by reference/, impl/ and the conformance tooling. Every rejection names
 * what was wrong, which rule it broke and the offending value, so a vector can expect an error by
 * its code and a user can read the message without the source.
 */
export const ERROR_CODES = {
  invalid_dtype:
    "an element type (a tensor's dtype or a dtype attribute) the op or scheme does not take, or not the type it must share (a zero point has its tensor's type): each op lists its types among torch's quint8, qint8, qint32, quint4x2 and ONNX's int8, uint8, int16, uint16, int32, int64, int4, uint4, float32, float16",
  invalid_qscheme: 'qscheme not supported by this observer or op',
  quant_range_excludes_zero: 'a custom quantization range must satisfy quant_min <= 0 <= quant_max (torch _validate_qmin_qmax)',
  quant_range_not_increasing: 'quant_min must be strictly less than quant_max (torch _validate_qmin_qmax)',
  quant_range_too_wide: 'qrange length must be in (0, 256] for qint8 and (0, 2^31] for qint32 (torch calculate_qmin_qmax)',
  quant_range_outside_dtype: 'quant_min/quant_max of a fake-quantize must satisfy quant_min <= quant_max',
  symmetric_reduce_range_quint8: 'per_tensor_symmetric with reduce_range and quint8 is not implemented by torch',
  scale_not_finite: 'scale must be a finite number',
  scale_not_positive: 'scale must be > 0',
  zero_point_out_of_range: 'zero_point must lie inside the quantized range',
  nan_observed: 'an observer saw NaN: its min/max become NaN and torch asserts min_val <= max_val',
  non_finite_observed: 'an observer saw +inf or -inf it cannot take: HistogramObserver 1.13 converts its range with int(), which raises OverflowError',
  histogram_range_unsupported:
    "torch's HistogramObserver fails on this finite data: the int() of its histc range leaves int64, the histc range collapses (a constant batch beyond 2^53), the float32 range arithmetic overflows or underflows, or the merged grid cannot hold the old histogram",
  histogram_too_large: 'merging two histograms would allocate more than 1e9 bytes (bins * downsample_rate float32 cells, plus their float64 cumsum)',
  histogram_config_invalid: 'bins and upsample_rate must be integers >= 1, sum_lane_width 8 or 16',
  min_greater_than_max: 'min_val must be <= max_val (torch check_min_max_valid)',
  quant_range_beyond_int32:
    'an affine zero point cannot be computed from a quant_min or quant_max (after reduce_range) outside int32: torch computes it in int32 tensor arithmetic with them and raises "value cannot be converted to type int without overflow"',
  zero_point_beyond_int32:
    "the zero point torch returns does not fit int32, which qconform's integer tensors hold: a symmetric quint8 zero point (quant_min + quant_max) // 2 of a custom range (torch's int64 zero point) outside int32 is refused, never wrapped",
  not_float32: 'a float32 input holds a value that float32 cannot represent',
  invalid_integer:
    'an integer input or attribute is not a value the op takes: not an integer, outside the range of its element type, or outside what the op allows (an index or length out of bounds, a bool other than 0 or 1, a negative block_size, bits or block_size ORT does not register)',
  shape_mismatch: 'tensor shapes do not fit together',
  min_max_shapes_differ: "calculate_qparams takes min_val and max_val of one shape (or an empty one): observers hold them so; shapes that broadcast are not modelled",
  inner_dim_mismatch: "a linear's weight [N, K] does not have x's last dimension as K",
  axis_out_of_range: 'axis/ch_axis must index a dimension of the input',
  placeholder_has_no_qparams: 'PlaceholderObserver carries a dtype only: calculate_qparams raises in torch',
  unknown_op: 'op name (with its semantics version) is not in the catalogue',
  invalid_geometry: 'conv geometry is invalid: groups must divide both channel counts; stride and dilation >= 1, padding >= 0 (torch conv2d checks)',
  empty_output:
    "the output would be empty or of negative size, or the input is empty, where qconform does not compute it: an output dimension <= 0 of a conv or pool (a negative one on an empty batch too), a kernel longer than the padded input on torch-qnnpack@1 (torch asserts or dies), an empty batch (a conv's N = 0, a linear's M = 0) on an op or scheme not checked on one (contract/conv_schemes.ts emptyBatch), an empty input whose ONNX Runtime 1.30 kernel kills its process (a blocked QuantizeLinear, contract/qdq_ort_crash.ts), or an NHWC QLinearConv's x of 0 channels, whose y ORT 1.30 reads from memory it never writes (contract/qlinear_conv_nhwc_checks.ts)",
  unknown_scheme: 'requantization scheme or accumulator model is not in contract/conv.ts',
  unsupported_by_scheme: 'the requantization scheme or accumulator model (the backend it models) refuses this input, e.g. weight zero points on oneDNN, a multiplier outside its representable range, or int8 activations for sat16_pairs_im2col',
  accumulator_overflow: 'the exact accumulator (or accumulator + int32 bias) does not fit int32; choose accumulator int32_wrap to model the wrap',
  bias_not_finite: 'a float32 conv bias must be finite (NaN and infinities take backend-specific paths qconform does not model)',
  requant_precondition: 'a REQUIRE of the scheme is violated for this accumulator value (TOSA apply_scale_32 value range)',
  malformed_request: 'request does not follow the op contract',
  nan_input: 'a NaN input the op gives no defined answer for (DynamicQuantizeLinear: ONNX Runtime\'s min/max reduction depends on the vector lane holding the NaN)',
  too_large: 'the request exceeds a size limit of the contract (contract/limits.ts, docs/protocol.md "Limits"): elements per tensor, conv work, histogram bins, histogram work or request line length',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Contract rejections whose oracle outputs are not reproducible (the oracle reads memory it does not own):
 * vectors record the deviation but not the values, so regeneration stays byte-identical.
 */
export const IRREPRODUCIBLE_ORACLE_OUTPUTS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['invalid_geometry']);

/**
 * Rules qconform enforces although torch 1.13 does not: torch silently computes garbage, qconform
 * raises. Golden vectors record both (expect.error plus the oracle's outputs), so the deviation is explicit.
 */
export const CONTRACT_REJECTIONS: Partial<Record<ErrorCode, string>> = {
  scale_not_positive:
    'torch 1.13 accepts scale <= 0 without a check: 1/scale is inf or negative, e.g. quantize with scale 0 maps every finite x to qmin',
  scale_not_finite: 'torch 1.13 accepts NaN and infinite scales without a check and returns qmin or zero point values',
  invalid_geometry:
    'torch 1.13 accepts an output channel count that groups does not divide: qnnpack computes every channel (the last group reads past the weights, so its values change from run to run), onednn returns fewer channels than the weight has',
  inner_dim_mismatch:
    "torch 1.13 qnnpack quantized::linear and linear_dynamic do not check that the weight's K equals x's: the weight buffer is packed as [N, x.shape[-1]], so a weight with a larger K is read row-shifted (the generators draw only that form: a smaller K would be read past its end)",
  // recorded as is in vectors/torch-1.13, torch-2.6 and torch-1.13-onednn-haswell. Its scope: a conv of N >= 1 whose
  // output height or width is 0 (the only empty_output for which torch returns values); a negative size raises on both
  // engines ("Trying to create tensor with negative dimension" on onednn), and an empty batch is not refused
  // (contract/conv_checks.ts). Rewording it means rewriting those three sets, and torch-2.6 did not regenerate
  // byte-identically on the host where this was measured (quantized_conv2d-01851 and -02185, torch-onednn@2, differ: oneDNN
  // 3.7 reads memory it never wrote on them, onednn37_unwritten_reads.ts; `npm run vectors:check:torch26` now reports
  // them as known and keeps the committed outputs), so it was left as written.
  empty_output: 'torch 1.13 onednn returns an empty tensor for a conv whose output size is <= 0 (qnnpack raises)',
  histogram_too_large:
    'torch 1.13 allocates bins * downsample_rate float32 cells and a float64 cumsum of them without a limit: it succeeds while memory lasts and raises "can\'t allocate memory" (or is OOM-killed) beyond; qconform draws the line at 1e9 bytes, the limit torch adopted later (MAX_HISTOGRAM_SIZE, torch 2.1)',
  too_large:
    'torch 1.13 has no size limits: it computes any tensor, conv or histogram that fits in memory, however long it takes; qconform answers within bounded time and memory and rejects requests beyond contract/limits.ts',
  nan_input: 'ONNX Runtime 1.30 computes DynamicQuantizeLinear on NaN input: MlasFindMinMaxElement skips or keeps the NaN depending on its lane, so scale and zero point depend on where the NaN is',
  min_max_shapes_differ:
    "torch 1.13's and 2.6's _calculate_qparams (calculate_qparams@1, @2) compute on min_val and max_val of different shapes that broadcast (e.g. [1] and [3], [] and [1, 1], [3] and [2, 3]): the scale and the affine and float_qparams zero points take the broadcast shape, the symmetric zero point min_val's shape ([1] for a 0-dim one)",
  histogram_config_invalid: 'torch 1.13 accepts upsample_rate <= 0 and fails only when two histograms are merged (a NaN range, or "repeats can not be negative")',
  zero_point_beyond_int32:
    'torch 1.13 and 2.6 return the int64 zero point (quant_min + quant_max) // 2 of a symmetric quint8 custom range whatever its size (e.g. [0, 8589934596] gives 4294967298); qconform\'s integer tensors hold int32',
};

export class QconformError extends Error {
  override readonly name = 'QconformError';
  constructor(
    readonly code: ErrorCode,
    /** What was being checked, e.g. "quantize_per_tensor: scale". */
    readonly what: string,
    /** The offending value, printable. */
    readonly value: unknown,
    /** What the value should have been, when more precise than the code's rule. */
    readonly detail?: string,
  ) {
    super(`${what}: ${ERROR_CODES[code]} [${code}]; got ${formatValue(value)}${detail ? ` (${detail})` : ''}`);
  }
}

/** Longest printed form of an offending value: a message stays readable whatever the request held. */
const MAX_VALUE_CHARS = 1000;

/**
 * Printable form of an offending value: NaN, infinities and -0 stay visible inside objects too. Never throws
 * (a value nested too deeply to print is described instead) and is cut after MAX_VALUE_CHARS characters.
 */
export function formatValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  let text: string;
  try {
    const replacer = (_k: string, x: unknown) =>
      typeof x === 'bigint' || (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0))) ? formatValue(x) : x;
    text = JSON.stringify(v, replacer) ?? String(v);
  } catch {
    text = Array.isArray(v) ? '[an array nested too deeply to print]' : typeof v === 'object' && v !== null ? '{an object nested too deeply to print}' : typeof v;
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}... (${text.length} characters)` : text;
}

export function isQconformError(e: unknown): e is QconformError {
  return e instanceof QconformError;
}
