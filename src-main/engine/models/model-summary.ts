/**
 * Keras-style text summary of a tfjs LayersModel, so parameter counts can be
 * compared line by line with the 2019 notes (e.g. "Total params: 762,736").
 */
import type * as tf from '@tensorflow/tfjs';

interface Row {
  name: string;
  shape: string;
  params: string;
  connected: string[];
}

function formatShape(shape: unknown): string {
  if (!Array.isArray(shape)) return String(shape);
  if (shape.length > 0 && Array.isArray(shape[0])) return `[${shape.map(formatShape).join(', ')}]`;
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function countWeights(weights: tf.LayerVariable[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const w of weights) {
    if (seen.has(w.id.toString())) continue;
    seen.add(w.id.toString());
    total += (w.shape as number[]).reduce((a, b) => a * b, 1);
  }
  return total;
}

/** Names of the layers feeding `layer` inside `model`, as "name[node][tensor]". */
function inboundOf(layer: tf.layers.Layer): string[] {
  const nodes = (layer as unknown as { inboundNodes: { inboundLayers: tf.layers.Layer[]; tensorIndices: number[]; nodeIndices: number[] }[] }).inboundNodes;
  const node = nodes[0];
  if (!node) return [];
  return node.inboundLayers.map((l, i) => `${l.name}[${node.nodeIndices[i]}][${node.tensorIndices[i]}]`);
}

function isChain(model: tf.LayersModel): boolean {
  return model.layers.every((layer, i) => {
    const inbound = inboundOf(layer);
    return i === 0 ? inbound.length === 0 : inbound.length === 1 && inbound[0].startsWith(`${model.layers[i - 1].name}[`);
  });
}

const thousands = (n: number) => n.toLocaleString('en-US');

/**
 * Formats a model like Keras' `model.summary()`: one row per layer with its output
 * shape and parameter count (plus "Connected to" for branching graphs), then the
 * total, trainable and non-trainable parameter counts.
 */
export function formatModelSummary(model: tf.LayersModel): string {
  const branching = !isChain(model);
  const rows: Row[] = model.layers.map((layer) => {
    const type = layer.getClassName() === 'Functional' || layer.getClassName() === 'Model' ? 'Model' : layer.getClassName();
    const isInput = type === 'InputLayer';
    const shape = isInput ? `[${formatShape(layer.outputShape)}]` : formatShape(layer.outputShape);
    return { name: `${layer.name} (${type})`, shape, params: String(layer.countParams()), connected: branching ? inboundOf(layer) : [] };
  });
  const widths = [
    Math.max(29, ...rows.map((r) => r.name.length + 2)),
    Math.max(26, ...rows.map((r) => r.shape.length + 2)),
    Math.max(12, ...rows.map((r) => r.params.length + 2)),
  ];
  const headers = ['Layer (type)', 'Output Shape', 'Param #', ...(branching ? ['Connected to'] : [])];
  const connectedWidth = branching ? Math.max(20, ...rows.flatMap((r) => r.connected.map((c) => c.length))) : 0;
  const lineWidth = widths.reduce((a, b) => a + b, 0) + connectedWidth;
  const pad = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join('').trimEnd();
  const out: string[] = [`Model: "${model.name}"`, '_'.repeat(lineWidth), pad(headers), '='.repeat(lineWidth)];
  rows.forEach((row, i) => {
    out.push(pad([row.name, row.shape, row.params, row.connected[0] ?? '']));
    for (const extra of row.connected.slice(1)) out.push(pad(['', '', '', extra]));
    out.push(i === rows.length - 1 ? '='.repeat(lineWidth) : '_'.repeat(lineWidth));
  });
  const trainable = countWeights(model.trainableWeights);
  const nonTrainable = countWeights(model.nonTrainableWeights);
  out.push(`Total params: ${thousands(trainable + nonTrainable)}`);
  out.push(`Trainable params: ${thousands(trainable)}`);
  out.push(`Non-trainable params: ${thousands(nonTrainable)}`);
  out.push('_'.repeat(lineWidth));
  return out.join('\n');
}
