/**
 * Small, fast, seedable PRNG (mulberry32). Used wherever results must be
 * reproducible from a seed: training-set sampling, shuffles, grouped splits,
 * synthetic test audio.
 */
export function createRng(seed = 1): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
