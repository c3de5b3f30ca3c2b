/**
 * The body of one of impl's conv worker threads (conv_pool.ts): it computes the parts it is sent (conv_split.ts),
 * each a quantized_conv2d@1 call on the path QCONFORM_IMPL selects (impl/conv/conv2d.ts, as the calling thread
 * would), and answers with the part's output data (its buffer transferred) and whether WebAssembly computed it, or
 * with the error's name and message when the call threw (the pool then reruns the whole conv on its own thread, so
 * the caller gets the canonical error).
 */
import { parentPort } from 'node:worker_threads';
import type { Conv2dArgs } from '../../../contract/conv.js';
import { quantizedConv2dOn, selectedConvPath } from '../conv2d.js';
import { type ChannelTensors, HELD_TENSOR_SETS, type PartRequest, type PartResponse } from './worker_messages.js';
import { channelTensorsOf } from './worker_tensors.js';

/** The channel tensors kept per slot (worker_messages.ts PartRequest). */
const held: Array<ChannelTensors | undefined> = new Array(HELD_TENSOR_SETS).fill(undefined);

function argsOf(request: PartRequest): Conv2dArgs {
  if (!Number.isInteger(request.slot) || request.slot < 0 || request.slot >= HELD_TENSOR_SETS) throw new Error(`conv worker: no slot ${request.slot}`);
  if (!request.reuse) {
    held[request.slot] = channelTensorsOf(request.args);
    return request.args;
  }
  const kept = held[request.slot];
  if (kept === undefined) throw new Error(`conv worker: asked to reuse slot ${request.slot}, which it was never sent`);
  return { ...request.args, ...kept };
}

function answer(request: PartRequest): { response: PartResponse; transfer: ArrayBuffer[] } {
  try {
    const counter = { wasm: 0 };
    const y = quantizedConv2dOn(selectedConvPath(), argsOf(request), counter);
    const buffer = y.data.buffer;
    // a buffer of its own is moved, not copied (Buffer.allocUnsafeSlow's are; a shared or pooled one is cloned)
    const own = buffer instanceof ArrayBuffer && y.data.byteOffset === 0 && y.data.byteLength === buffer.byteLength;
    return { response: { id: request.id, data: y.data, wasm: counter.wasm > 0 }, transfer: own ? [buffer] : [] };
  } catch (e) {
    return { response: { id: request.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, transfer: [] };
  }
}

parentPort?.on('message', (request: PartRequest) => {
  const { response, transfer } = answer(request);
  try {
    parentPort?.postMessage(response, transfer);
  } catch {
    parentPort?.postMessage(response); // a buffer Node will not move (untransferable): cloned instead
  }
});
