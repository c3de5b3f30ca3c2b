/**
 * torch 1.13.1 onednn's heap corruption on 1x1 convs over a 1x4x4 input (conformance/backends/torch/onednn_crash.ts):
 * the predicate against the convs measured to crash and not to crash, and the generators' guard.
 */
import { describe, expect, it } from 'vitest';
import { type OnednnCrashFacts, onednnCorruptsHeap } from '../../conformance/backends/torch/onednn_crash.js';
import { avoidOnednnCrash } from '../../conformance/cases/conv_cases.js';
import type { DrawnGeometry } from '../../conformance/cases/conv_geometry.js';

const crashing: OnednnCrashFacts = { xShape: [1, 2, 4, 4], weightShape: [4, 2, 1, 1], perChannel: false, xScale: 1, weightScale: 1, yScale: 1, hasBias: false, relu: false };

describe('torch 1.13.1 onednn heap corruption', () => {
  it('matches the measured crashes and non-crashes', () => {
    const crashed: OnednnCrashFacts[] = [
      crashing,
      { ...crashing, xScale: 0.5, weightScale: 2 },
      { ...crashing, xScale: 0.1, weightScale: 0.1, yScale: 0.1 * 0.1 },
      { ...crashing, xScale: 0.3, yScale: 0.3 },
      { ...crashing, xShape: [1, 16, 4, 4], weightShape: [16, 16, 1, 1] },
      { ...crashing, xShape: [1, 4, 4, 4], weightShape: [4, 1, 1, 1] }, // depthwise
      { ...crashing, xShape: [1, 4, 4, 4], weightShape: [4, 2, 1, 1] }, // groups 2
    ];
    const ran: OnednnCrashFacts[] = [
      { ...crashing, yScale: 2 },
      { ...crashing, yScale: 1.0000001 },
      { ...crashing, yScale: 0.99999994 },
      { ...crashing, perChannel: true },
      { ...crashing, hasBias: true },
      { ...crashing, relu: true },
      { ...crashing, xShape: [2, 2, 4, 4] },
      { ...crashing, xShape: [1, 2, 4, 8] },
      { ...crashing, xShape: [1, 2, 5, 5] },
      { ...crashing, xShape: [1, 2, 16, 1] },
      { ...crashing, weightShape: [4, 2, 3, 3] },
    ];
    expect(crashed.map(onednnCorruptsHeap)).toEqual(crashed.map(() => true));
    expect(ran.map(onednnCorruptsHeap)).toEqual(ran.map(() => false));
  });

  it('the torch case generator gives such a conv ReLU, and only on onednn', () => {
    const g: DrawnGeometry = { n: 1, c: 2, h: 4, w: 4, oc: 4, kh: 1, kw: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, kind: 'pointwise' };
    const values = () => ({ x: [], xScale: 0.25, xZeroPoint: 0, weight: [], weightScales: [4], weightZeroPoints: [0], biasReal: null, yScale: 1, yZeroPoint: 0, relu: false });
    const onednn = values();
    expect(avoidOnednnCrash('torch-onednn@1', g, onednn, 'per_tensor')).toBe(true);
    expect(onednn.relu).toBe(true);
    const qnnpack = values();
    expect(avoidOnednnCrash('torch-qnnpack@1', g, qnnpack, 'per_tensor')).toBe(false);
    expect(qnnpack.relu).toBe(false);
    expect(avoidOnednnCrash('torch-onednn@1', { ...g, h: 5 }, values(), 'per_tensor')).toBe(false);
  });
});
