import * as tf from '@tensorflow/tfjs';
import { initBackend, buildConvnetV1, buildLstmV3, formatModelSummary, buildSilenceHead } from './src-main/engine/models';
console.log(await initBackend());
const v1 = buildConvnetV1(); console.log(formatModelSummary(v1.encoder)); console.log(formatModelSummary(v1.decoder));
const v3 = buildLstmV3(); console.log(formatModelSummary(v3.encoder));
console.log(formatModelSummary(buildSilenceHead()));
