/**
 * Gradient-boosted decision trees for the frame classifier (logistic loss,
 * second-order leaf values, histogram splits — the XGBoost/LightGBM recipe
 * in its plainest form). Hand-written because it is small, hot and must be
 * exactly reproducible: there is no randomness at all (every row and every
 * feature is used), so the same data always gives the same model, on any
 * machine, and the model is plain JSON stored in the project.
 *
 * Features are bucketed once into ≤ MAX_BINS quantile bins; a split sends
 * x ≤ threshold left. Each tree grows depth-first to `maxDepth`, a node
 * splitting only when the gain (G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ))/2
 * exceeds `minGain` and both children keep `minChildWeight` of hessian. The
 * larger child's histogram is the parent's minus the smaller's.
 */
import { SonotypeError } from '../../../../src-shared/errors';

const MAX_BINS = 32;

export interface BoostingParams {
  trees: number;
  maxDepth: number;
  learningRate: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  minChildWeight: number;
  minGain: number;
  /** Return a constant model instead of failing when the labels hold one class. */
  allowOneClass?: boolean;
}

export const DEFAULT_BOOSTING_PARAMS: Readonly<BoostingParams> = Object.freeze({
  trees: 60,
  maxDepth: 4,
  learningRate: 0.2,
  lambda: 1,
  minChildWeight: 2,
  minGain: 0.01,
});

/** A tree as flat arrays: node i splits on feature[i] at threshold[i] (left[i], right[i]) or is a leaf (feature −1, value[i]). */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** A trained model: log-odds of class 1 = base + Σ trees. */
export interface BoostedTreesJson {
  format: 'sonotype-gbdt-1';
  dims: number;
  base: number;
  trees: TreeJson[];
}

/** Training data: rows × dims features (row-major), labels 0/1 and weights. */
export interface TrainingSet {
  dims: number;
  x: Float32Array;
  y: Uint8Array;
  weight: Float32Array;
}

/** Quantile bin edges of one feature from its values (ascending, unique). */
function binEdges(values: Float32Array): Float32Array {
  const sorted = Float32Array.from(values).sort();
  const edges: number[] = [];
  for (let k = 1; k < MAX_BINS; k++) {
    const v = sorted[Math.floor((k * sorted.length) / MAX_BINS)];
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  // A split at edge e sends x ≤ e left; the last edge equal to the maximum would split nothing.
  if (edges.length && edges[edges.length - 1] >= sorted[sorted.length - 1]) edges.pop();
  return Float32Array.from(edges);
}

function binOf(edges: Float32Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (v <= edges[m]) hi = m;
    else lo = m + 1;
  }
  return lo;
}

/**
 * Trains a model; throws INVALID_ARGUMENT when the labels hold one class only.
 * `lossCurve`, when given, receives the weighted mean log loss after each tree.
 */
export function trainBoostedTrees(set: TrainingSet, params: Partial<BoostingParams> = {}, lossCurve?: number[]): BoostedTreesJson {
  const p = { ...DEFAULT_BOOSTING_PARAMS, ...params };
  const { dims, x, y, weight } = set;
  const n = y.length;
  let wPos = 0;
  let wAll = 0;
  for (let i = 0; i < n; i++) {
    wAll += weight[i];
    if (y[i]) wPos += weight[i];
  }
  if (!(wPos > 0 && wPos < wAll)) {
    if (!p.allowOneClass || wAll === 0) throw new SonotypeError('INVALID_ARGUMENT', 'The frame classifier needs examples of both sound and silence.');
    // One class only: the model can only ever say that class (used when scoring a recipe on held-out data).
    return { format: 'sonotype-gbdt-1', dims, base: wPos > 0 ? 20 : -20, trees: [] };
  }
  const base = Math.log(wPos / (wAll - wPos));
  // Column-major bins: binned[d * n + i].
  const edges: Float32Array[] = [];
  const binned = new Uint8Array(n * dims);
  const col = new Float32Array(n);
  for (let d = 0; d < dims; d++) {
    for (let i = 0; i < n; i++) col[i] = x[i * dims + d];
    edges.push(binEdges(col));
    for (let i = 0; i < n; i++) binned[d * n + i] = binOf(edges[d], col[i]);
  }
  const score = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const rows = new Int32Array(n);
  const trees: TreeJson[] = [];
  for (let t = 0; t < p.trees; t++) {
    for (let i = 0; i < n; i++) {
      const q = 1 / (1 + Math.exp(-score[i]));
      grad[i] = weight[i] * (q - y[i]);
      hess[i] = Math.max(1e-12, weight[i] * q * (1 - q));
      rows[i] = i;
    }
    const tree: TreeJson = { feature: [], threshold: [], left: [], right: [], value: [] };
    growNode(tree, rows, 0, n, 0, { binned, n, dims, edges, grad, hess, p });
    trees.push(tree);
    for (let i = 0; i < n; i++) score[i] += evalTree(tree, x, i * dims);
    if (lossCurve) {
      let loss = 0;
      // log(1 + e^−s) for y = 1, log(1 + e^s) for y = 0, computed stably.
      for (let i = 0; i < n; i++) {
        const m = y[i] ? -score[i] : score[i];
        loss += weight[i] * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
      }
      lossCurve.push(loss / wAll);
    }
  }
  return { format: 'sonotype-gbdt-1', dims, base, trees };
}

interface GrowContext {
  binned: Uint8Array;
  n: number;
  dims: number;
  edges: Float32Array[];
  grad: Float64Array;
  hess: Float64Array;
  p: BoostingParams;
}

/** Grows the node holding rows[from, to) and returns its index in `tree`. */
function growNode(tree: TreeJson, rows: Int32Array, from: number, to: number, depth: number, c: GrowContext): number {
  const id = tree.feature.length;
  tree.feature.push(-1);
  tree.threshold.push(0);
  tree.left.push(-1);
  tree.right.push(-1);
  let G = 0;
  let H = 0;
  for (let k = from; k < to; k++) {
    G += c.grad[rows[k]];
    H += c.hess[rows[k]];
  }
  tree.value.push((-G / (H + c.p.lambda)) * c.p.learningRate);
  if (depth >= c.p.maxDepth || H < 2 * c.p.minChildWeight) return id;
  const parentScore = (G * G) / (H + c.p.lambda);
  let bestGain = c.p.minGain;
  let bestFeature = -1;
  let bestBin = -1;
  const hg = new Float64Array(MAX_BINS);
  const hh = new Float64Array(MAX_BINS);
  for (let d = 0; d < c.dims; d++) {
    const nb = c.edges[d].length;
    if (nb === 0) continue;
    hg.fill(0);
    hh.fill(0);
    const offset = d * c.n;
    for (let k = from; k < to; k++) {
      const i = rows[k];
      const b = c.binned[offset + i];
      hg[b] += c.grad[i];
      hh[b] += c.hess[i];
    }
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < nb; b++) {
      gl += hg[b];
      hl += hh[b];
      const hr = H - hl;
      if (hl < c.p.minChildWeight || hr < c.p.minChildWeight) continue;
      const gr = G - gl;
      const gain = ((gl * gl) / (hl + c.p.lambda) + (gr * gr) / (hr + c.p.lambda) - parentScore) / 2;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = d;
        bestBin = b;
      }
    }
  }
  if (bestFeature < 0) return id;
  // Partition rows[from, to) in place: bin ≤ bestBin first.
  const offset = bestFeature * c.n;
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    if (c.binned[offset + rows[lo]] <= bestBin) lo++;
    else {
      const tmp = rows[lo];
      rows[lo] = rows[hi];
      rows[hi] = tmp;
      hi--;
    }
  }
  tree.feature[id] = bestFeature;
  tree.threshold[id] = c.edges[bestFeature][bestBin];
  tree.left[id] = growNode(tree, rows, from, lo, depth + 1, c);
  tree.right[id] = growNode(tree, rows, lo, to, depth + 1, c);
  return id;
}

function evalTree(tree: TreeJson, x: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = x[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}

/** Probability of class 1 for each row of x (rows × model.dims). */
export function predictBoostedTrees(model: BoostedTreesJson, x: Float32Array, out?: Float32Array): Float32Array {
  const rows = x.length / model.dims;
  const result = out ?? new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = model.base;
    const offset = i * model.dims;
    for (const tree of model.trees) s += evalTree(tree, x, offset);
    result[i] = 1 / (1 + Math.exp(-s));
  }
  return result;
}

/** Checks a stored model's shape before use (the JSON comes from the project file). */
export function validateBoostedTrees(value: unknown, dims: number): BoostedTreesJson {
  const m = value as BoostedTreesJson;
  const ok =
    !!m && m.format === 'sonotype-gbdt-1' && m.dims === dims && Number.isFinite(m.base) && Array.isArray(m.trees) &&
    m.trees.every((t) => {
      const len = t?.feature?.length;
      return (
        Array.isArray(t.feature) && [t.threshold, t.left, t.right, t.value].every((a) => Array.isArray(a) && a.length === len) &&
        t.feature.every((f, i) => (f === -1 || (Number.isInteger(f) && f >= 0 && f < dims && t.left[i] > i && t.right[i] > i && t.right[i] < len)))
      );
    });
  if (!ok) throw new SonotypeError('INVALID_CONFIG', `The stored frame classifier is damaged or was made for ${m?.dims ?? '?'} features instead of ${dims}.`);
  return m;
}
