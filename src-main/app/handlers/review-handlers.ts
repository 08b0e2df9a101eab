/**
 * Review calls: open a recording (spectrogram paging info, regions, labels,
 * media URLs), list its regions, and find the next region to review.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { RecordingReview } from '../../../src-shared/review-types';
import { listLabels } from '../../engine/store/labels';
import { getRecording, requireRecording } from '../../engine/store/recordings';
import { mediaLocation, requireProject, requireSession, type AppState } from '../app-state';
import { mostUncertainRegion, reviewedRegionsOf } from '../../engine/store/review-queries';
import { toLabelView, toRegionView } from '../view-mappers';
import type { HandlersFor } from './handler-types';
import { displayPreferences } from './display-handlers';

type ReviewCalls = 'review:open' | 'regions:list' | 'review:nextUncertain';

export function reviewHandlers(state: AppState): HandlersFor<ReviewCalls> {
  return {
    'review:open': async (recordingId): Promise<RecordingReview> => {
      const session = requireSession(state);
      const { db } = session.project;
      const recording = requireRecording(db, recordingId);
      if (recording.status !== 'ok') {
        throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be opened: ${recording.error?.message ?? 'it failed to scan'}.`);
      }
      if (recording.missing) throw new SonotypeError('NOT_FOUND', `${recording.path} was not found in the last scan; it may have been moved.`);
      const spectrogram = await session.tiles.tileInfo(recordingId, { settings: displayPreferences(db).spectrogram });
      const media = mediaLocation(state);
      return {
        recordingId,
        path: recording.path,
        durationSeconds: recording.durationSeconds ?? spectrogram.durationSeconds,
        sampleRate: recording.sampleRate ?? spectrogram.nativeSampleRate,
        channels: recording.channels ?? 1,
        ...(recording.warning ? { warning: recording.warning } : {}),
        spectrogram,
        regions: reviewedRegionsOf(db, recordingId).map((r) => toRegionView(r, recording.sampleRate)),
        labels: listLabels(db, recordingId).map((l) => toLabelView(l, recording.sampleRate)),
        mediaBase: media.base,
        mediaQuery: media.query,
      };
    },
    'regions:list': async (recordingId) => {
      const { db } = requireProject(state);
      const recording = requireRecording(db, recordingId);
      return reviewedRegionsOf(db, recordingId).map((r) => toRegionView(r, recording.sampleRate));
    },
    'review:nextUncertain': async (after) => {
      const { db } = requireProject(state);
      let position: { path: string; sample: number } | null = null;
      if (after) {
        const recording = getRecording(db, after.recordingId);
        if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${after.recordingId} in this project.`);
        position = { path: recording.path, sample: after.sample };
      }
      const row = mostUncertainRegion(db, position);
      if (!row) return null;
      return {
        recordingId: row.recording_id,
        path: row.path,
        region: toRegionView(row, row.sample_rate),
        certainty: row.certainty,
        remaining: row.remaining,
      };
    },
  };
}
