/**
 * Quickselect (Hoare partition around the middle element), shared by the
 * distance quantiles of clustering and the per-frame "top 5 %" detection
 * feature. O(n) on average; sorted and constant inputs stay linear (the
 * middle pivot splits them evenly).
 */

/**
 * Reorders values[0, n) so that values[k] is the k-th smallest (0-based), nothing before it is larger and nothing
 * after it smaller. With k outside [0, n) the array is only partly reordered (callers summing an empty tail rely
 * on this being harmless).
 */
export function partitionAt(values: Float32Array | Float64Array, k: number, n = values.length): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The k-th smallest value (0-based) of `values`; reorders them. */
export function selectKth(values: Float32Array | Float64Array, k: number): number {
  partitionAt(values, k);
  return values[k];
}
