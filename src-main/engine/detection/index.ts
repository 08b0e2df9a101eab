/**
 * Detection building blocks: heuristic silence labels, regions from window
 * probabilities, annotation tables and evaluation. Plain Node, no tfjs: the
 * models feed their window probabilities into deriveRegions.
 */
export {
  detectHeuristicSilence,
  type HeuristicSilenceOptions,
  type HeuristicSilenceParams,
  type HeuristicSilenceResult,
  type HeuristicWindow,
} from './heuristic-silence';
export { HEURISTIC_DEFAULTS, resolveHeuristicParams } from './heuristic-params';
export {
  deriveRegions,
  resolveRegionParams,
  DEFAULT_REGION_PARAMS,
  type Region,
  type RegionKind,
  type RegionParams,
  type WindowProbability,
} from './regions';
export {
  readTruthTable,
  readTruthTableWithFormat,
  parseTruthTable,
  eventsForRecording,
  type TruthEvent,
  type TruthTable,
  type TruthTableFormat,
} from '../exchange/truth-table';
export {
  windowTruthSilence,
  confusionMatrix,
  addConfusionMatrices,
  summariseConfusion,
  formatConfusionMatrix,
  CLASS_NAMES,
  type ConfusionMatrix,
  type ConfusionSummary,
  type TimeInterval,
  type WindowTruthOptions,
} from './confusion';
export { scoreEvents, intervalIoU, groupedSplit, type EventScores, type EventMatchOptions, type GroupedSplit } from './event-scores';
