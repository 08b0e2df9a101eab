/**
 * Detection heads (history, scores, activation) and the live preview of
 * region settings. Activating a head re-predicts every recording from cached
 * frame features (no audio is decoded) and tells every open view.
 */
import type { DetectionHeadView } from '../../../src-shared/detection-types';
import type { RegionView } from '../../../src-shared/review-types';
import { listDetectionHeads, type DetectionHead } from '../../engine/detection/detection-heads';
import { previewRecordingRegions } from '../../engine/detection/region-refresh';
import { activateDetectionHead } from '../../engine/detection/retrain-detector';
import { listRecordings, requireRecording } from '../../engine/store/recordings';
import { requireProject, type AppState } from '../app-state';
import type { HandlersFor } from './handler-types';

type DetectionCalls = 'detection:heads' | 'detection:activateHead' | 'detection:previewRegions';

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** The contract's view of a stored head (metrics written by retrain-detector.ts). */
export function toHeadView(h: DetectionHead): DetectionHeadView {
  const l = (h.metrics.learnedFrom ?? {}) as Record<string, unknown>;
  const held = h.metrics.heldOut as Record<string, unknown> | undefined;
  const ratio = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    id: h.id, version: h.version, type: h.type, createdAt: h.createdAt, active: h.active,
    learnedFrom: {
      teacherFrames: num(l.teacherFrames), humanFrames: num(l.humanFrames), humanSoundFrames: num(l.humanSoundFrames),
      humanSilenceFrames: num(l.humanSilenceFrames), recordingsWithHumanLabels: num(l.recordingsWithHumanLabels),
    },
    heldOut: held
      ? {
          by: held.by === 'time-block' ? 'time-block' : 'recording', folds: num(held.folds), frames: num(held.frames),
          candidate: ratio(held.candidate), active: ratio(held.active), activeHeadId: num(held.activeHeadId),
          tieBreakZ: ratio(held.tieBreakZ),
        }
      : null,
    adopted: typeof h.metrics.adopted === 'boolean' ? h.metrics.adopted : null,
    seed: typeof h.metrics.seed === 'number' ? h.metrics.seed : null,
  };
}

export function detectionHandlers(state: AppState): HandlersFor<DetectionCalls> {
  return {
    'detection:heads': async () => listDetectionHeads(requireProject(state).db).map(toHeadView),
    'detection:activateHead': async (headId) => {
      const project = requireProject(state);
      activateDetectionHead(project, headId);
      for (const r of listRecordings(project.db)) state.emit('recording:changed', { recordingId: r.id, what: 'regions' });
      state.emit('recordings:changed', { count: listRecordings(project.db).length });
      return toHeadView(listDetectionHeads(project.db).find((h) => h.id === headId)!);
    },
    'detection:previewRegions': async (recordingId, settings): Promise<RegionView[]> => {
      const { db } = requireProject(state);
      const recording = requireRecording(db, recordingId);
      const rate = recording.sampleRate ?? 1;
      // Preview regions are not stored: they have no id (0) and nobody has reviewed them yet.
      return previewRecordingRegions(db, recordingId, settings).map((r) => ({
        id: 0, recordingId, kind: r.kind, startSample: r.startSample, endSample: r.endSample,
        startSeconds: r.startSample / rate, endSeconds: r.endSample / rate, pSilence: r.pSilence, reviewed: false,
      }));
    },
  };
}
