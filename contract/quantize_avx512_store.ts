/**
 * Where torch 1.13.1's QuantizeAvx512 (aten/src/ATen/cpu/vec/vec512/vec512_qint.h) stores each element it quantizes.
 * Its main loop takes 64 floats at a time and stores them in order. Its "additional 8-lane" loop then takes 16 at a
 * time: after _mm512_shuffle_epi8 puts each 128-bit lane's four low bytes in its first dword, _mm512_permutexvar_epi32
 * with permute_mask_l8_v (dwords 0, 4, 0, 0, ... from _mm512_set_epi32's last argument first) gathers lanes 0 and 1
 * into the first 8 bytes, but lanes 0 and 0 again into the next 8: of each 16 it stores elements 0-7, then 0-3 twice.
 * Its scalar tail (len mod 16) is in order. Measured: torch's avg_pool2d NHWC kernel under ATEN_CPU_CAPABILITY=avx512,
 * whose channel blocks call it with 16 to 128 floats (vectors/torch-1.13-avg-pool). A call with a multiple of 64 (the
 * Vectorized<T>::quantize of add and cat) never reaches that loop. Integer domain only.
 */

/** The element of a QuantizeAvx512 call of `len` floats whose value is stored at position `j`. */
export function quantizeAvx512Source(j: number, len: number): number {
  const main = Math.floor(len / 64) * 64;
  const sixteens = Math.floor(len / 16) * 16;
  if (j < main || j >= sixteens) return j;
  const t = (j - main) % 16;
  return t < 8 ? j : j - t + (t % 4);
}
