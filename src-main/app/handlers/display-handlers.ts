/**
 * Display and listening preferences of the open project: the spectrogram's
 * FFT size, window and overlap (display only: the model's features never
 * change) and the playback gain / DC removal the audio route applies.
 * Stored in the project so they survive restarts and browser-mode ports.
 */
import { DEFAULT_DISPLAY_PREFERENCES, type DisplayPreferences } from '../../../src-shared/display-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../../engine/store/database';
import { getSetting, setSetting } from '../../engine/store/settings';
import { requireProject, requireSession, type AppState } from '../app-state';
import { requireRecording } from '../../engine/store/recordings';
import type { HandlersFor } from './handler-types';

type DisplayCalls = 'display:get' | 'display:set' | 'display:spectrogramInfo';

/** The stored preferences, or the defaults. */
export function displayPreferences(db: ProjectDb): DisplayPreferences {
  return getSetting(db, 'display') ?? DEFAULT_DISPLAY_PREFERENCES;
}

export function displayHandlers(state: AppState): HandlersFor<DisplayCalls> {
  return {
    'display:get': async () => displayPreferences(requireProject(state).db),
    'display:set': async (patch) => {
      const { db } = requireProject(state);
      const next: DisplayPreferences = { ...displayPreferences(db), ...patch };
      setSetting(db, 'display', next);
      return next;
    },
    'display:spectrogramInfo': async (recordingId) => {
      const session = requireSession(state);
      const recording = requireRecording(session.project.db, recordingId);
      if (recording.status !== 'ok') {
        throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} cannot be shown: ${recording.error?.message ?? 'it failed to scan'}.`);
      }
      return session.tiles.tileInfo(recordingId, { settings: displayPreferences(session.project.db).spectrogram });
    },
  };
}
