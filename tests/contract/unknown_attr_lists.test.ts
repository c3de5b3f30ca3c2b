/**
 * The refusal of an attribute an op does not take lists the attributes its wire form does take, and only those: not
 * histogram_observer@2's upsample_rate (refused whatever its value: torch 2.x fixes the rate at 16), nor an ONNX
 * op's ONNX spellings that the wire form refuses (qgemm@1's transA, carried as trans_a; quantize_linear@1's
 * output_dtype, carried as dtype; conv_integer@1's kernel_shape, not modelled). Every listed name, given a value of
 * its type, is taken (contract/onnx_attributes.ts wireAttributeNames).
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { type OnnxAttributeSchema, type OnnxAttributeType, type WireEncoding, onnxAttributeFaults } from '../../contract/onnx_attributes.js';
import { ONNX_QOP_ATTRIBUTES } from '../../contract/onnx_qop_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from '../../contract/onnx_quant_attributes.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const BATCH = { dtype: 'float32', shape: [2], hex: ['3f800000', '40000000'] };

async function refusal(op: string, attrs: Record<string, unknown>, inputs: Record<string, unknown> = {}): Promise<string[]> {
  const messages: string[] = [];
  for (const ops of [reference, impl]) {
    const r = await evaluateRequest(ops, { id: 'x', op, attrs, inputs } as WireRequest);
    messages.push('error' in r ? r.error.message : JSON.stringify(r));
  }
  return messages;
}

/** The names an unknown attribute's refusal lists ("<op>'s attrs: a, b" or "its attrs: a, b"). */
const listed = (message: string): string[] => /(?:'s|its) attrs: ([^;)]*)/.exec(message)?.[1]?.split(', ') ?? [];

const VALUE_OF_TYPE: Record<OnnxAttributeType, unknown> = { INT: 0, FLOAT: 1.5, STRING: 's', INTS: [1], FLOATS: [1.5], STRINGS: ['s'], TENSOR: { dtype: 'int32', shape: [], values: [0] } };
const VALUE_OF_ENCODING: Record<WireEncoding, unknown> = { BOOLEAN: true, FLOAT_HEX: '3ff0000000000000', FLOATS_HEX: ['3ff0000000000000'] };

/** A value of the form the wire takes for `name`, or undefined when `schema` does not take it at all. */
function wireValue(schema: OnnxAttributeSchema, name: string): unknown {
  const encoded = schema.encoded?.[name];
  if (encoded) return VALUE_OF_ENCODING[encoded.wire];
  const type = schema.wire?.[name] ?? schema.onnx[name];
  return type === undefined ? undefined : VALUE_OF_TYPE[type];
}

describe('an unknown attribute is refused with the attrs the wire form takes', () => {
  it('histogram_observer@2: upsample_rate is not listed, and is still refused whatever its value', async () => {
    for (const message of await refusal('histogram_observer@2', { nosuch: 1 }, { batches: [BATCH] })) {
      expect(message).toContain('histogram_observer@2 takes no attribute nosuch; its attrs: ');
      expect(listed(message)).toEqual(['dtype', 'qscheme', 'reduce_range', 'quant_min', 'quant_max', 'eps', 'bins', 'sum_lane_width']);
    }
    for (const value of [128, 'x'])
      for (const message of await refusal('histogram_observer@2', { upsample_rate: value }, { batches: [BATCH] })) {
        expect(message).toMatch(/^histogram_observer@2: attrs\.upsample_rate: .*torch 2\.x fixes the upsample rate at 16/);
      }
    for (const message of await refusal('histogram_observer@1', { nosuch: 1 }, { batches: [BATCH] })) expect(listed(message)).toContain('upsample_rate');
  });

  it('ONNX ops: the wire names, never an ONNX spelling the wire form refuses', async () => {
    const [qgemm] = await refusal('qgemm@1', { nosuch: 1 });
    expect(qgemm).toContain("ONNX com.microsoft QGemm-1 declares no attribute nosuch, qgemm@1's attrs: trans_a, trans_b, alpha, accumulator;");
    expect(listed((await refusal('quantize_linear@1', { nosuch: 1 }))[0]!)).toEqual(['axis', 'block_size', 'saturate', 'dtype']);
    expect(listed((await refusal('conv_integer@1', { nosuch: 1 }))[0]!)).not.toContain('kernel_shape');
  });

  const schemas = Object.entries({ ...ONNX_QUANT_ATTRIBUTES, ...ONNX_QOP_ATTRIBUTES }) as [string, OnnxAttributeSchema][];
  it.each(schemas)('%s: every name its refusal lists is taken by the wire form', (op, schema) => {
    const fault = onnxAttributeFaults(op, schema, { nosuch: 1 })[0];
    expect(fault?.error.message).toMatch(/declares no attribute nosuch/);
    const names = listed(fault!.error.message);
    // a list of the wire form's attrs, or that it takes none (and then the schema's ONNX ones are all refused)
    if (names.length === 0) expect(fault!.error.message).toContain(`${op} takes no attrs`);
    else expect(fault!.error.message).toContain(`${op}'s attrs: `);
    for (const name of names) {
      const value = wireValue(schema, name);
      expect(value, `${op} lists ${name}`).not.toBeUndefined();
      expect(onnxAttributeFaults(op, schema, { [name]: value }).map((f) => f.error.message), `${op} lists ${name}`).toEqual([]);
    }
    for (const name of Object.keys(schema.notOnWire ?? {})) expect(names, op).not.toContain(name);
  });
});
