/**
 * The terms of each output of a matmul_integer_to_float@1 / dynamic_quantize_matmul@1 request: its int32
 * accumulator, a_scale (DynamicQuantizeMatMul's computed one), its column's b_scale and bias, so tests can evaluate
 * the rejected float-step readings (conformance/cases/integer_to_float_alternatives.ts) against real outputs.
 * Built from the fast impl's pieces (int_gemm.ts, dynamicQuantizeLinear); null when the contract refuses the request
 * or a scale is applied to the finished output (ScaleOutput).
 */
import { Attrs, Inputs, type WireRequest } from '../../conformance/protocol/messages.js';
import { decodeDynamicQuantizeMatMul, decodeMatMulIntegerToFloat } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat } from '../../contract/matmul_integer_to_float_checks.js';
import type { IntData } from '../../contract/tensor.js';
import { gemmAccumulators, zeroPointsF } from '../../impl/onnx/int_gemm.js';
import { dynamicQuantizeLinear } from '../../impl/quantize_linear.js';

export interface OutputTerms {
  readonly acc: number;
  readonly aScale: number;
  readonly bScale: number;
  readonly bias: number | null;
}

export function integerToFloatTerms(request: WireRequest): OutputTerms[] | null {
  const raw = request.attrs ?? {};
  const [at, inp] = [new Attrs(raw, request.op), new Inputs(request.inputs ?? {}, request.op)];
  try {
    const dynamic = request.op === 'dynamic_quantize_matmul@1';
    const m = dynamic ? decodeDynamicQuantizeMatMul(at, inp) : decodeMatMulIntegerToFloat(at, inp);
    const g = dynamic ? checkDynamicQuantizeMatMul(m as ReturnType<typeof decodeDynamicQuantizeMatMul>) : checkMatMulIntegerToFloat(m as ReturnType<typeof decodeMatMulIntegerToFloat>);
    let a: IntData;
    let aScale: number;
    let aZeroPoint: IntData | null;
    if (dynamic) {
      const q = dynamicQuantizeLinear(m.a as ReturnType<typeof decodeDynamicQuantizeMatMul>['a']);
      [a, aScale, aZeroPoint] = [q.y.data, q.yScale.data[0] as number, q.yZeroPoint.data];
    } else {
      const mm = m as ReturnType<typeof decodeMatMulIntegerToFloat>;
      [a, aScale, aZeroPoint] = [mm.a.data, (g.gemmAScale?.data[0] as number | undefined) ?? 1, mm.aZeroPoint?.data ?? null];
    }
    const bScale = g.gemmBScale;
    if (!bScale || g.outputScales.length) return null; // a scale ORT applies to the output (ScaleOutput): not these terms
    const o = { a, b: m.b.data, ...zeroPointsF(g, aZeroPoint, m.bZeroPoint?.data ?? null) };
    const terms: OutputTerms[] = [];
    for (const batch of g.batches) {
      gemmAccumulators(g, o, batch, m.accumulator).forEach((acc, x) => {
        const j = x % g.n;
        terms.push({ acc, aScale, bScale: bScale.data[g.scalePerColumn ? batch.bOffset / g.k + j : 0] as number, bias: m.bias ? (m.bias.data[j] as number) : null });
      });
    }
    return terms;
  } catch {
    return null;
  }
}
