/**
 * Storage for conv outputs, carved from recycled 16 MB slabs. A fresh multi-megabyte Int32Array costs a page
 * fault per 4 KB page on first touch (about 2 ms for a 200,704-element output on this project's machines, more
 * than the WebAssembly conv that fills it). A slab is reused once every array carved from it has been
 * garbage collected (WeakRef), so a steady stream of convs touches warm pages. Arrays above a quarter of a
 * slab, or when every slab still has a live array, are allocated plainly. Each array is a view: its
 * `.buffer` is the slab (use byteOffset and byteLength, as every reader in this project does).
 */
const SLAB_BYTES = 16 << 20;
const MAX_SLABS = 4;

interface Slab {
  readonly buffer: ArrayBuffer;
  used: number;
  views: WeakRef<Int32Array>[];
}

const slabs: Slab[] = [];
let current: Slab | null = null;

function reusableSlab(): Slab | null {
  for (const s of slabs) {
    if (s !== current && s.views.every((v) => v.deref() === undefined)) {
      s.used = 0;
      s.views = [];
      return s;
    }
  }
  if (slabs.length < MAX_SLABS) {
    const s: Slab = { buffer: new ArrayBuffer(SLAB_BYTES), used: 0, views: [] };
    slabs.push(s);
    return s;
  }
  return null;
}

/** An Int32Array of n elements with unspecified contents (the caller overwrites every element). */
export function pooledInt32Array(n: number): Int32Array {
  const bytes = Math.ceil((n * 4) / 16) * 16;
  if (bytes > SLAB_BYTES / 4) return new Int32Array(n);
  if (current === null || current.used + bytes > SLAB_BYTES) current = reusableSlab();
  if (current === null) return new Int32Array(n);
  const view = new Int32Array(current.buffer, current.used, n);
  current.used += bytes;
  current.views.push(new WeakRef(view));
  return view;
}
