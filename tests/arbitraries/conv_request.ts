/**
 * Whole quantized_conv2d@1 requests for agreement properties: a fast-check seed drives the vector
 * generators' own geometry and value draws (conformance/cases), over every scheme and accumulator
 * model, with an activation dtype both the scheme and the accumulator take (else the refusal), bias dtype and weight
 * zero-point rule; CONV_EDGE_RATE of them on an edge geometry (conv_edge_geometry.ts: an output-size numerator in
 * (-stride, 0), an empty batch), as --fuzz draws them. Replayable through
 * the property's seed and path; the geometry is small so the exact reference stays quick.
 */
import fc from 'fast-check';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { ACCUMULATORS, REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { ACCUMULATOR_ACTIVATIONS, SCHEME_RULES } from '../../contract/conv_schemes.js';
import { CONV_EDGE_RATE, convRequest } from '../../conformance/cases/conv_cases.js';
import { drawEdgeGeometry } from '../../conformance/cases/conv_edge_geometry.js';
import { type DrawnGeometry, drawGeometry } from '../../conformance/cases/conv_geometry.js';
import { drawConvValues, drawStress } from '../../conformance/cases/conv_quant.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface ConvCase {
  readonly scheme: RequantScheme;
  readonly request: WireRequest;
}

export const convCase: fc.Arbitrary<ConvCase> = fc
  .record({ seed: fc.integer(), scheme: fc.constantFrom(...REQUANT_SCHEMES), accumulator: fc.constantFrom(...ACCUMULATORS), fullRange: fc.boolean() })
  .map(({ seed, scheme, accumulator, fullRange }) => {
    const r = new CaseRandom(`conv-property-${seed}`);
    const rules = SCHEME_RULES[scheme];
    const both = rules.activations.filter((d) => ACCUMULATOR_ACTIVATIONS[accumulator].includes(d));
    const dtype = r.pick(both.length ? both : rules.activations) as 'quint8' | 'qint8'; // none in common: the typed refusal
    const on = (g: DrawnGeometry) => {
      const perChannel = r.bool(0.5);
      const v = drawConvValues(r, g, { xRange: dtype === 'quint8' ? [0, 255] : [-128, 127], weightZeroPoints: rules.weightZeroPoints, perChannel }, fullRange ? 'extremes' : drawStress(r));
      const biasDtype = r.pick(rules.bias);
      return { id: `prop-${seed}`, ...convRequest(g, v, { scheme, accumulator, dtype, biasDtype, weightQuantization: perChannel ? 'per_channel' : 'per_tensor' }) };
    };
    const request = on(drawGeometry(r));
    // as --fuzz draws: now and then (after the case's own draws) a case on an edge geometry instead
    return { scheme, request: r.bool(CONV_EDGE_RATE) ? on(drawEdgeGeometry(r, drawGeometry(r))) : request };
  });
