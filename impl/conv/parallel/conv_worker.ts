/**
 * The body of one of impl's conv worker threads (conv_pool.ts, worker_thread.ts): it computes the parts it is sent
 * (conv_split.ts), each a quantized_conv2d@1 call on the path QCONFORM_IMPL selected when the thread started
 * (impl/conv/conv2d.ts; both paths give the same bits), and answers with the part's output data (its buffer moved)
 * and whether WebAssembly computed it, or with the error's name and message when the call threw (the pool then
 * computes the whole conv again on its own thread, so the caller gets the canonical error). A request it cannot
 * read ends the thread: the pool then answers every part in flight with an error.
 */
import { parentPort } from 'node:worker_threads';
import type { Conv2dArgs } from '../../../contract/conv.js';
import { quantizedConv2dOn, selectedConvPath } from '../conv2d.js';
import { type ChannelTensors, HELD_TENSOR_SETS, type PartRequest, type PartResponse } from './worker_messages.js';
import { channelTensorsOf, ownsBuffer } from './worker_tensors.js';

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
    // a buffer of its own is moved, not copied (Buffer.allocUnsafeSlow's are; a shared or pooled one is cloned)
    return { response: { id: request.id, data: y.data, wasm: counter.wasm > 0 }, transfer: ownsBuffer(y.data) ? [y.data.buffer as ArrayBuffer] : [] };
  } catch (e) {
    return { response: { id: request.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, transfer: [] };
  }
}

parentPort?.on('message', (request: PartRequest) => {
  const { response, transfer } = answer(request);
  try {
    parentPort?.postMessage(response, transfer);
  } catch {
    try {
      parentPort?.postMessage(response); // a buffer Node will not move (untransferable): cloned instead
    } catch (e) {
      parentPort?.postMessage({ id: request.id, error: `conv worker: the answer could not be sent (${e instanceof Error ? e.message : String(e)})` });
    }
  }
});
parentPort?.on('messageerror', () => process.exit(1)); // a part whose id cannot be read cannot be answered
