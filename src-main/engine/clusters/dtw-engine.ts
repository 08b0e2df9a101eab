/**
 * One DTW distance function for a whole sequence set, fastest available:
 * the WebAssembly kernel (dtw-wasm.ts: SIMD frame costs and the dynamic
 * programme in one call per pair), or the plain JS dtwDistance where
 * WebAssembly SIMD is missing. Both give the same distances up to float32
 * rounding (dtw.test.ts).
 */
import { checkDtwOptions, dtwDistance, DtwWorkspace, type DtwOptions } from './dtw';
import { createWasmDtw, type WasmDtw } from './dtw-wasm';
import type { SequenceSet } from './sequences';

export class DtwEngine {
  private readonly ws = new DtwWorkspace();
  private readonly wasm: WasmDtw | null;

  constructor(private readonly set: SequenceSet, private readonly options: DtwOptions, useWasm = true) {
    checkDtwOptions(options);
    let longest = 1;
    for (let i = 0; i < set.lengths.length; i++) longest = Math.max(longest, set.lengths[i]);
    this.ws.ensure(longest);
    this.wasm = useWasm ? createWasmDtw(set, options.cost, options.band) : null;
  }

  /** Whether the WebAssembly kernel is in use. */
  get accelerated(): boolean {
    return this.wasm !== null;
  }

  /** Length-normalised DTW distance of sequences i and j, or Infinity when certainly above `abandonAbove`. */
  distance(i: number, j: number, abandonAbove = Infinity): number {
    if (!this.wasm) return dtwDistance(this.set, i, j, this.options, this.ws, abandonAbove);
    let r = i;
    let c = j;
    if (this.set.lengths[j] > this.set.lengths[i]) {
      r = j;
      c = i;
    }
    const n = this.set.lengths[r];
    const m = this.set.lengths[c];
    const total = this.wasm.pair(r, c, abandonAbove * (n + m));
    return total / (n + m);
  }
}
