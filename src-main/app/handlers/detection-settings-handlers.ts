/**
 * Detection settings as the app edits them: the region settings in use (the
 * active head's, with defaults) and the band the detector analyses. Changing
 * region settings is previewed with 'detection:previewRegions' and applied
 * by a 'detect' job; the band and tonal mode are stored here and used by the next detection.
 */
import type { DetectionBand, DetectionSettings } from '../../../src-shared/detection-settings';
import { activeHead } from '../../engine/detection/detection-heads';
import { frameRegionParamsFor } from '../../engine/detection/region-refresh';
import type { ProjectDb } from '../../engine/store/database';
import { clearSetting, getSetting, setSetting } from '../../engine/store/settings';
import { requireProject, type AppState } from '../app-state';
import type { HandlersFor } from './handler-types';

type DetectionSettingsCalls = 'detection:settings' | 'detection:setBand' | 'detection:setTonal';

/** The settings in use now. */
export function detectionSettings(db: ProjectDb): DetectionSettings {
  const { threshold, smoothingFrames, mergeGapSeconds, minSoundSeconds } = frameRegionParamsFor(db, activeHead(db)?.id ?? null);
  return {
    region: { threshold, smoothingFrames, mergeGapSeconds, minSoundSeconds },
    band: getSetting(db, 'detectionBand') ?? {},
    tonal: getSetting(db, 'detectionTonal') === true,
  };
}

export function detectionSettingsHandlers(state: AppState): HandlersFor<DetectionSettingsCalls> {
  return {
    'detection:settings': async () => detectionSettings(requireProject(state).db),
    'detection:setBand': async (band: DetectionBand) => {
      const { db } = requireProject(state);
      if (band.lowHz === undefined && band.highHz === undefined) clearSetting(db, 'detectionBand');
      else setSetting(db, 'detectionBand', band);
      return detectionSettings(db);
    },
    'detection:setTonal': async (on: boolean) => {
      const { db } = requireProject(state);
      if (on) setSetting(db, 'detectionTonal', true);
      else clearSetting(db, 'detectionTonal');
      return detectionSettings(db);
    },
  };
}
