/** Child process of the long-file memory benchmark: analyse one file, print RSS figures as JSON. */
import { probeAudio } from '../../engine/audio';
import { defaultFeatureConfig } from '../../engine/features';
import { analyseRecordingFeatures } from '../../engine/project/recording-features';

const path = process.argv[2];
const baselineMb = process.memoryUsage().rss / 2 ** 20;
const info = await probeAudio(path);
const result = await analyseRecordingFeatures(path, defaultFeatureConfig(info.sampleRate));
// maxRSS is in kilobytes: the process's high-water mark over its whole life.
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ baselineMb: Math.round(baselineMb), peakMb: Math.round(peakMb), seconds: result.seconds, windows: result.windowCount })}\n`,
);
