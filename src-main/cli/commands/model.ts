import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';

/**
 * `sonotype model summary v1|v3` — prints the Keras-style summary of an
 * encoder (layer, output shape, parameters) whose totals match the seeds:
 * Convnet V1 762,736 (762,480 trainable), LSTM V3 275,328.
 */
export const modelCommand: CliCommand = {
  name: 'model',
  synopsis: 'model summary v1|v3 [--all]   Keras-style summary of an encoder (--all: also decoder/predictor and silence head)',
  options: { all: { type: 'boolean', default: false } },
  async run({ positionals, values, io }) {
    const [action, which] = positionals;
    if (action !== 'summary' || (which !== 'v1' && which !== 'v3') || positionals.length !== 2) {
      throw new UsageError('expected: model summary v1|v3');
    }
    // tfjs is loaded only for this command: the rest of the CLI starts fast without it.
    const tf = await import('@tensorflow/tfjs');
    const { buildConvnetV1, buildLstmV3, buildSilenceHead, formatModelSummary } = await import('../../engine/models');
    await tf.setBackend('cpu');
    // tfjs warns about the CPU backend and slow orthogonal initialisers: noise for a summary.
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const models: import('@tensorflow/tfjs').LayersModel[] = [];
      if (which === 'v1') {
        const m = buildConvnetV1();
        models.push(m.encoder, ...(values.all ? [m.decoder] : []));
      } else {
        const m = buildLstmV3();
        models.push(m.encoder, ...(values.all ? [m.predictor] : []));
      }
      if (values.all) models.push(buildSilenceHead());
      io.out(models.map((m) => formatModelSummary(m)).join('\n\n'));
    } finally {
      console.warn = warn;
    }
    return EXIT_OK;
  },
};
