/**
 * The LSTMs' orthogonal initialiser, computed in plain JavaScript.
 *
 * tfjs's own `Orthogonal` takes the QR of a seeded normal matrix with
 * `tf.linalg.qr`, which builds the full m × m Householder product op by op:
 * for LSTM V3's 128 × 512 recurrent kernel that is ~30 GFLOP on the CPU
 * backend — 15 s on a quiet 2-core machine and over a minute on a loaded one,
 * paid by every training start, every V3 model load (layers are initialised
 * before their weights are read) and `sonotype model summary v3`. This one
 * draws the same normal matrix (same call, same seed) and takes its thin QR
 * in float64 (~30 MFLOP), so its values equal tfjs's up to float32 rounding.
 *
 * It keeps tfjs's class name and config ({ gain, seed }), so saved model.json
 * files are unchanged and load with or without it; registering it replaces
 * tfjs's class for every model deserialised in this process.
 */
import * as tf from '@tensorflow/tfjs';

type Initializer = ReturnType<typeof tf.initializers.orthogonal>;
interface OrthogonalArgs { gain?: number; seed?: number }

// tfjs exports the factory, not the class: take the class from an instance, so ours inherits its className.
const TfjsOrthogonal = tf.initializers.orthogonal({}).constructor as new (args: OrthogonalArgs) => Initializer;

export class FastOrthogonal extends TfjsOrthogonal {
  private readonly options: { gain: number; seed: number | undefined };

  constructor(args: OrthogonalArgs) {
    super(args);
    this.options = { gain: args.gain ?? 1, seed: args.seed };
  }

  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (shape.length < 2) throw new Error('An orthogonal initialiser needs a shape of at least 2 dimensions.');
    if (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`Unsupported data type ${dtype}.`);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const normal = tf.randomNormal([m, n], 0, 1, 'float32', this.options.seed);
    const a = Float64Array.from(normal.dataSync());
    normal.dispose();
    const q = orthonormalColumns(a, m, n);
    const out = new Float32Array(rows * cols);
    // q is m × n row-major; a wide kernel (rows < cols) takes its transpose, as tfjs does.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = this.options.gain * q[i * n + j];
        if (rows >= cols) out[i * cols + j] = v;
        else out[j * cols + i] = v;
      }
    }
    return tf.tensor(out, shape, dtype ?? 'float32');
  }
}

/**
 * Q of the thin QR of `a` (m × n row-major, m ≥ n) by Householder
 * reflections, with each column's sign chosen so that R's diagonal is
 * positive (the unique Q that tfjs's initialiser returns after its
 * `Q · sign(diag R)` step). `a` is overwritten.
 */
export function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const reflectors: Float64Array[] = [];
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const x0 = a[k * n + k];
    const alpha = x0 > 0 ? -norm : norm; // R[k][k]; the opposite sign of x0 avoids cancellation
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k];
    v[0] -= alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    reflectors.push(v);
    signs[k] = alpha < 0 ? -1 : 1;
    applyReflector(a, v, k, m, n);
  }
  // Q = H0 · H1 ⋯ H(n−1) applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) applyReflector(q, reflectors[k], k, m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= signs[j];
  return q;
}

/** M[k:, :] −= 2 v (vᵀ M[k:, :]) for a unit vector v (a no-op for v = 0). */
function applyReflector(matrix: Float64Array, v: Float64Array, k: number, m: number, n: number): void {
  const dots = new Float64Array(n);
  for (let i = k; i < m; i++) {
    const vi = v[i - k];
    if (vi === 0) continue;
    for (let j = 0; j < n; j++) dots[j] += vi * matrix[i * n + j];
  }
  for (let i = k; i < m; i++) {
    const vi = 2 * v[i - k];
    if (vi === 0) continue;
    for (let j = 0; j < n; j++) matrix[i * n + j] -= vi * dots[j];
  }
}

let registered = false;

/** Makes every model this process deserialises (loads, Bidirectional's backward copy) use FastOrthogonal. */
export function registerFastOrthogonal(): void {
  if (registered) return;
  registered = true;
  // Only the class-name map (what deserialisation reads): registerClass would also name it 'Custom>Orthogonal'.
  tf.serialization.SerializationMap.register(FastOrthogonal as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}
