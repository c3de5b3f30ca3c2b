import type { CaseRandom } from './random.js';

/** A conv geometry for case generation: every feature of the contract (groups, depthwise, stride, padding, dilation, batch). */
export interface DrawnGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  oc: number;
  kh: number;
  kw: number;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
  kind: 'dense' | 'pointwise' | 'depthwise' | 'grouped';
}

const small = (r: CaseRandom, lo: number, hi: number) => r.int(lo, hi);

/** dense 45%, pointwise 15%, depthwise (channel multiplier 1 or 2) 25%, grouped 15%. */
export function drawGeometry(r: CaseRandom): DrawnGeometry {
  const u = r.next();
  const kind: DrawnGeometry['kind'] = u < 0.45 ? 'dense' : u < 0.6 ? 'pointwise' : u < 0.85 ? 'depthwise' : 'grouped';
  const groups = kind === 'depthwise' ? small(r, 1, 6) : kind === 'grouped' ? small(r, 2, 4) : 1;
  const icg = kind === 'depthwise' ? 1 : small(r, 1, kind === 'grouped' ? 4 : 8);
  const ocg = kind === 'depthwise' ? r.pick([1, 1, 2]) : small(r, 1, 5);
  const square = r.bool(0.7);
  const kh = kind === 'pointwise' ? 1 : r.pick([1, 2, 3, 3, 3, 5]);
  const kw = kind === 'pointwise' ? 1 : square ? kh : r.pick([1, 2, 3, 5]);
  const pair = (draw: () => number): [number, number] => {
    const a = draw();
    return r.bool(0.75) ? [a, a] : [a, draw()];
  };
  const stride = pair(() => r.pick([1, 1, 1, 2, 3]));
  const dilation = kind === 'pointwise' ? ([1, 1] as [number, number]) : pair(() => r.pick([1, 1, 1, 2]));
  const padding = kind === 'pointwise' ? ([0, 0] as [number, number]) : pair(() => r.pick([0, 0, 1, 1, 2]));
  const reach = (k: number, d: number) => d * (k - 1) + 1;
  const h = Math.max(1, reach(kh, dilation[0]) - 2 * padding[0]) + small(r, 0, 5);
  const w = Math.max(1, reach(kw, dilation[1]) - 2 * padding[1]) + small(r, 0, 5);
  return { n: r.pick([1, 1, 1, 2]), c: icg * groups, h, w, oc: ocg * groups, kh, kw, stride, padding, dilation, groups, kind };
}
