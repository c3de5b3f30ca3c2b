import type { IeeeValue } from '../../exact/ieee_value.js';
import { f64Add, toF32 } from '../../exact/float_arith.js';
import { ZERO_F32 } from '../../constants.js';

/**
 * torch.cumsum(h, dim=0) of a float32 tensor (aten/src/ATen/native/cpu/ReduceOpsKernel.cpp
 * cumsum_cpu_kernel): a double accumulator (acc_type<float, false>) starts at 0.0 and takes each element
 * in order; element i of the float32 output is (float)acc. Domain: float64 additions, one float32
 * rounding per output. HistogramObserver's _non_linear_param_search compares these against its quantiles.
 */
export function cumsumF32(values: readonly IeeeValue[]): IeeeValue[] {
  let acc: IeeeValue = ZERO_F32; // 0.0 as a double: the same exact value
  return values.map((v) => {
    acc = f64Add(acc, v); // a float32 element widens to double exactly
    return toF32(acc);
  });
}
