/**
 * The two real torches the live tests run requests through, with the torch adapter
 * (conformance/backends/torch/python/qconform_torch.py), in one place: torch 1.13.0 (Debian's python3-torch at
 * /usr/bin/python3, runThroughTorch in conformance/backends/torch/torch_process.ts) and torch 2.6.0 (the chroot of
 * `npm run setup:torch26`, through run_in_torch26_chroot.sh: torch26Command in
 * conformance/backends/torch/torch26_chroot.ts). Whether each is here, the words a skipped test's title ends with, and
 * each one's answers to a list of requests, in order.
 */
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { runThroughTorch, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torch26Availability, torch26Command } from '../../conformance/backends/torch/torch26_chroot.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';

/** Whether torch 1.13 is importable from /usr/bin/python3 (looked up once, not imported). */
export const torch13Available = (): boolean => torchAvailable();

/** '' when torch 1.13 is here; else what the title of a test skipped without it ends with. */
export const torch13Skipped = (): string => (torchAvailable() ? '' : ' [skipped: no torch 1.13 at /usr/bin/python3]');

/** Whether the torch 2.6 chroot is set up and usable here (it needs root). */
export const torch26Available = (): boolean => torch26Availability().available;

/** '' when the torch 2.6 chroot is usable; else what the title of a test skipped without it ends with: why, and how to set it up. */
export function torch26Skipped(): string {
  const torch26 = torch26Availability();
  return torch26.available ? '' : ` [skipped: ${torch26.reason}; set it up with ${torch26.install}]`;
}

/** torch 1.13.0's answers (/usr/bin/python3). */
export async function torch13Responses(requests: readonly WireRequest[]): Promise<WireResponse[]> {
  return (await runThroughTorch(requests)).responses;
}

/** torch 2.6's answers (its chroot; both engines through one process, each request's scheme picks its engine; 300 s for the handshake). */
export async function torch26Responses(requests: readonly WireRequest[]): Promise<WireResponse[]> {
  const { command, args } = torch26Command(null);
  return (await runThroughProcess({ label: 'torch 2.6', command, args, startTimeoutMs: 300_000 }, requests)).responses;
}
