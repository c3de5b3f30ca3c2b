/**
 * quantized_conv2d@1, exact reference: the contract check, each output channel's scheme parameters
 * prepared once, the accumulator model per output position, then the scheme's requantization, in output
 * order (n, oc, oh, ow). Slow by design (bigint per product); impl/conv is the fast twin.
 */
import type { Accumulator, Conv2dArgs } from '../../contract/conv.js';
import { type ConvGeometry, checkConv2d } from '../../contract/conv_checks.js';
import { assertSchemeInputExtents } from '../../contract/conv_input_extents.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { REQUANT_REFERENCE } from '../requant/index.js';
import { checkedInt32 } from '../requant/int32_add.js';
import type { Int32Policy } from '../requant/types.js';
import { channelQuant } from './channel_quant.js';
import { exactAccumulator } from './exact_accumulator.js';
import { sat16PairsAccumulator } from './sat16_pairs_accumulator.js';
import { sat16PairsIm2colAccumulator } from './sat16_pairs_im2col_accumulator.js';
import { sat16PairsF32ZpAccumulator } from './sat16_pairs_f32_zp_accumulator.js';
import { type Tap, windowTaps } from './window.js';

type AccumulatorModel = (a: Conv2dArgs, g: ConvGeometry, oc: number, taps: readonly Tap[]) => bigint;

/** Each accumulator model of contract/conv.ts, one output position at a time. */
const ACCUMULATOR_MODELS: Readonly<Record<Accumulator, AccumulatorModel>> = {
  exact: exactAccumulator,
  int32_wrap: exactAccumulator,
  sat16_pairs: sat16PairsAccumulator,
  sat16_pairs_im2col: sat16PairsIm2colAccumulator,
  sat16_pairs_f32_zp: sat16PairsF32ZpAccumulator,
};

/**
 * The int32 behaviour of the kernel's additions under each accumulator model. `sat16_pairs_f32_zp` ends in
 * float32 (its value is already final, not an int32: never wrapped); its scheme, torch-onednn@1, adds no int32.
 */
export function int32Policy(accumulator: Accumulator): Int32Policy {
  return accumulator === 'exact' ? 'check' : 'wrap';
}

/** The accumulator as the kernel holds it: int32 (checked or wrapped), or sat16_pairs_f32_zp's float-held value. */
function heldAccumulator(a: Conv2dArgs, acc: bigint, policy: Int32Policy): bigint {
  return a.accumulator === 'sat16_pairs_f32_zp' ? acc : checkedInt32(acc, policy);
}

/**
 * One output element (n, oc, oh, ow) through the same steps (and arithmetic domains) as quantizedConv2d: the held accumulator and the
 * requantized output. For analyses that look at single elements (qconform explain's first difference).
 */
export function quantizedConv2dElement(a: Conv2dArgs, n: number, oc: number, oh: number, ow: number): { readonly acc: bigint; readonly y: bigint } {
  const g = checkConv2d(a);
  const scheme = REQUANT_REFERENCE[a.scheme];
  const params = scheme.prepare(channelQuant(a, g, oc));
  assertSchemeInputExtents(a.scheme, g);
  const policy = int32Policy(a.accumulator);
  const acc = heldAccumulator(a, ACCUMULATOR_MODELS[a.accumulator](a, g, oc, windowTaps(a, g, n, oc, oh, ow)), policy);
  return { acc, y: scheme.requantize(acc, params, policy) };
}

/**
 * quantized_conv2d@1: quantized::conv2d (torch 1.13 aten/src/ATen/native/quantized/cpu/qconv.cpp) and ORT's
 * QLinearConv (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc), per the request's accumulator model and
 * requantization scheme. Domains: the accumulator in exact integers (bigint) with the model's int16 saturation and
 * int32 policy, then the scheme's epilogue (reference/requant/: exact fixed point, or float32 rounded via reference/exact).
 */
export function quantizedConv2d(a: Conv2dArgs): IntTensor {
  const g = checkConv2d(a);
  const scheme = REQUANT_REFERENCE[a.scheme];
  const params = Array.from({ length: g.oc }, (_, oc) => scheme.prepare(channelQuant(a, g, oc)));
  // after the scheme's own refusals, as XNNPACK checks them (contract/conv_input_extents.ts)
  assertSchemeInputExtents(a.scheme, g);
  const policy = int32Policy(a.accumulator);
  const accumulate = ACCUMULATOR_MODELS[a.accumulator];
  const asHeld = (acc: bigint) => heldAccumulator(a, acc, policy);
  const out: number[] = [];
  for (let n = 0; n < g.n; n++) {
    for (let oc = 0; oc < g.oc; oc++) {
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          const acc = asHeld(accumulate(a, g, oc, windowTaps(a, g, n, oc, oh, ow)));
          out.push(Number(scheme.requantize(acc, params[oc], policy)));
        }
      }
    }
  }
  return intTensor(g.dtype, [g.n, g.oc, g.oh, g.ow], out);
}
