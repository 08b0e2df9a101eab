/**
 * Multiply-add count of a model's forward pass per window, from its layer
 * shapes: the yardstick that turns windows/s into FLOP/s, so benchmark figures
 * can be read as a fraction of what the backend's matMul achieves. Only the
 * layers that matter for these encoders are counted (convolutions, dense,
 * LSTMs); element-wise work is ignored.
 */
import type * as tf from '@tensorflow/tfjs';

type AnyLayer = tf.layers.Layer & { layers?: AnyLayer[]; forwardLayer?: AnyLayer; backwardLayer?: AnyLayer; cell?: AnyLayer };

const product = (dims: readonly (number | null)[]): number => dims.reduce<number>((a, b) => a * (b ?? 1), 1);

function firstShape(shape: tf.Shape | tf.Shape[] | undefined): tf.Shape {
  if (!shape) return [];
  return Array.isArray(shape[0]) ? (shape as tf.Shape[])[0] : (shape as tf.Shape);
}

function weightShape(layer: AnyLayer, name: string): number[] | undefined {
  return layer.weights.find((w) => w.originalName.split('/').pop() === name)?.shape as number[] | undefined;
}

/** `inputShape` is passed for layers wrapped by Bidirectional, which never see a graph of their own. */
function layerFlops(layer: AnyLayer, wrappedInput?: tf.Shape): number {
  if (layer.layers) return layer.layers.reduce((s, l) => s + layerFlops(l), 0);
  const kind = layer.getClassName();
  if (kind === 'Bidirectional') {
    const input = firstShape(layer.inboundNodes[0]?.inputShapes);
    return layerFlops(layer.forwardLayer!, input) + layerFlops(layer.backwardLayer!, input);
  }
  const kernel = weightShape(layer, 'kernel');
  if (!kernel) return 0;
  // The first call's shapes: layers shared by two models (V1's decoder) report no single `inputShape`.
  // Layers wrapped by Bidirectional were never called in a graph; they are LSTMs and need only the input.
  const input = wrappedInput ?? firstShape(layer.inboundNodes[0]?.inputShapes);
  const out = firstShape(layer.inboundNodes[0]?.outputShapes);
  switch (kind) {
    case 'Conv1D':
    case 'Conv2D':
      // Every output position is a dot product over the whole kernel (per output channel).
      return 2 * product(out.slice(1, -1)) * product(kernel);
    case 'Conv2DTranspose':
      // Every input position scatters through the whole kernel.
      return 2 * product(input.slice(1, -1)) * product(kernel);
    case 'Dense':
      return 2 * product(input.slice(1, -1)) * product(kernel);
    case 'LSTM': {
      const recurrent = weightShape(layer, 'recurrent_kernel') ?? [0];
      return 2 * (input[1] ?? 1) * (product(kernel) + product(recurrent));
    }
    default:
      return 0;
  }
}

/** FLOPs (2 per multiply-add) of one window's forward pass through `model`. */
export function forwardFlopsPerWindow(model: tf.LayersModel): number {
  return model.layers.reduce((s, l) => s + layerFlops(l as AnyLayer), 0);
}
