/**
 * What the graph input `qconform explain` runs declares (the first graph input that is not an initializer:
 * onnx_model.ts), its type and its shape, as ONNX Runtime 1.30 takes them (measured on onnxruntime-node 1.30:
 * tests/explain/ort_refused_models.test.ts):
 *   - no type, or an empty TypeProto: ORT refuses the model when it loads it (graph.cc, "Model input (x) does not have
 *     type information."); a tensor type of element type 0 or no ONNX data type ("Invalid tensor data type 0.");
 *   - no shape (TypeProto.Tensor without its shape field): any shape, as ORT runs any (explain's own shape for generated
 *     data: input_shape.ts); a dim without dim_value (unknown, or a dim_param), or a negative one, likewise;
 *   - a shape of no dims is rank 0, a scalar: refused where ORT refuses the model for it (an op that takes no scalar
 *     reads it), else an input explain takes none for (onnx_scalar_input.ts);
 *   - a dim of 0: refused, as ORT runs only an empty input there.
 * Before, explain took an input without a type as one of unknown shape and analysed models ORT refuses.
 */
import type onnxProto from 'onnx-proto';
import { ModelReadError } from './model_types.js';
import { num } from './onnx_tensor.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

type ValueInfo = onnxProto.onnx.IValueInfoProto;

/** The ONNX data types (1 to 26) ORT 1.30 takes as a tensor's element type: onnx_tensor.ts checkedDataType's range. */
const ORT_MAX_ELEM_TYPE = 26;

/** Refuses the graph input `info` where ORT 1.30 refuses its type when it loads the model. */
export function checkGraphInputType(path: string, info: ValueInfo | undefined): void {
  if (!info) return;
  const name = info.name ?? '';
  const type = info.type;
  if (!type || (!type.tensorType && !type.sequenceType && !type.mapType && !type.optionalType && !type.sparseTensorType)) {
    throw new OrtRefusedModelError(path, `the graph input ${name} has no type`, `Model input (${name}) does not have type information.`);
  }
  if (!type.tensorType) throw new ModelReadError(path, `the graph input ${name} is not a tensor (a sequence, map, optional or sparse tensor): explain reads a tensor input`);
  const elem = type.tensorType.elemType ?? 0;
  if (!(elem >= 1 && elem <= ORT_MAX_ELEM_TYPE)) throw new OrtRefusedModelError(path, `the graph input ${name} has element type ${elem}, no ONNX data type`, `Invalid tensor data type ${elem}.`);
}

/**
 * The graph input's declared shape when it has one and every dim is a size (dim_value >= 1), else null (generated data
 * then takes [1, C, 16, 16], input_shape.ts). A shape of no dims (rank 0, a scalar) is null here: onnx_scalar_input.ts
 * refuses the model where ORT 1.30 does, else no input reaches the chain. A declared 0 is refused: ONNX Runtime 1.30 runs such a model
 * on an input with 0 there only, an empty one ("Got invalid dimensions for input: <name> ... Expected: 0" for any other),
 * which leaves nothing to analyse. A negative dim_value is no size: ORT 1.30 takes it as unknown (it ran [1, 3, -8, -8] on
 * [1, 3, 8, 8]); explain says so in a note, since it generates a shape of its own there (before, it did so silently).
 */
export function declaredInputShape(path: string, info: ValueInfo | undefined): { dims: number[] | null; note: string | null } {
  const shape = info?.type?.tensorType?.shape;
  const declared = shape?.dim?.map((d) => (d.dimValue !== undefined && d.dimValue !== null ? num(d.dimValue) : null)) ?? [];
  const text = `[${declared.map((d) => d ?? '?').join(', ')}]`;
  const zero = declared.indexOf(0);
  if (zero >= 0) {
    throw new ModelReadError(path, `the graph input ${info?.name ?? ''} declares shape ${text}, dim ${zero} of 0: ONNX Runtime 1.30 runs the model only on an empty input (any other it refuses: "Got invalid dimensions for input: ${info?.name ?? ''} for the following indices"), which leaves nothing to analyse`);
  }
  if (declared.some((d) => d !== null && d < 0)) {
    return { dims: null, note: `the graph input ${info?.name ?? ''} declares shape ${text}: a negative dim is no size (ONNX Runtime 1.30 takes it as unknown), so generated data takes explain's own shape there (--shape or --input to choose)` };
  }
  return { dims: declared.length && declared.every((d): d is number => d !== null && d > 0) ? declared : null, note: null };
}
