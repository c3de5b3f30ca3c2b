/**
 * The constants of an ONNX graph as `qconform explain` reads them (OnnxGraph, onnx_graph.ts): initializers, Constant
 * nodes' values, and what Cast / Identity / ConstantOfShape make of them. Each is known by name and data type at once
 * and read (onnx_tensor.ts tensorValues) when explain first needs its values, so a tensor of a type explain has no
 * reader for (a string, float16, bfloat16, int4 tensor, ...) stops explain only when an analysed node uses it
 * (UnreadTensorError). ONNX Runtime 1.30 drops an initializer no node uses and runs the model
 * (onnxruntime/core/graph/graph.cc Graph::CleanUnusedInitializersAndNodeArgs: "Removing initializer 'u'. It is not used
 * by any node and should be removed from the model."), without reading its data: measured on onnxruntime-node 1.30 with
 * unused string, bfloat16, float16, int4 and float8 initializers and an unused int8 one with too few values, which it
 * runs (tests/explain/unused_initializers.test.ts). The initializers a node uses it reads when it loads the model, so
 * explain reads those at once where it can (readNow), refusing them as ORT does (at graph optimization level disabled;
 * above it ORT first removes a node whose outputs nothing uses, and with it the use).
 */
import type { Const } from './onnx_tensor.js';
import { UnreadTensorError } from './onnx_tensor.js';

interface Entry {
  readonly dataType: number;
  readonly read: () => Const;
  value?: Const;
}

export class ConstTable {
  private readonly entries = new Map<string, Entry>();

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The data type of constant `name` (TensorProto.DataType), without reading its values; undefined if it is none. */
  dataType(name: string): number | undefined {
    return this.entries.get(name)?.dataType;
  }

  /** The values of constant `name`, read on first use (a ModelReadError when they cannot be read); undefined if it is none. */
  get(name: string): Const | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    e.value ??= e.read();
    return e.value;
  }

  /** Constant `name` of `dataType`, whose values `read` gives when first needed (it replaces an earlier one of that name). */
  define(name: string, dataType: number, read: () => Const): void {
    this.entries.set(name, { dataType, read });
  }

  /** Reads constant `name` now, unless explain has no reader for its type (then it is read, and refused, on use only). */
  readNow(name: string): void {
    try {
      this.get(name);
    } catch (e) {
      if (!(e instanceof UnreadTensorError)) throw e;
    }
  }
}
