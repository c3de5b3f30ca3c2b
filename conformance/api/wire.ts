/** The package's `qconform/wire` entry: the wire format of docs/protocol.md, tensors and float bits to and from JSON. */
export { type WireTensor, decodeTensor, encodeTensor, f32ToHex, f64ToHex, hexToF32, hexToF64 } from '../../contract/wire.js';
export { Attrs, Inputs, type WireOutputs, type WireRequest, type WireResponse } from '../protocol/messages.js';
export { errorResponse } from '../protocol/dispatch.js';
